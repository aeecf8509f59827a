/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Crypto wiring shared by the boards (see components/crypto.h).
 *
 * Usage: see components/crypto.h.
 *
 * Invariants: the three drivers' alarms share one mux, so they count the same ticks as the
 * queues' and the dispatcher's clock (sha_alarm).
 */
#include "components/crypto.h"

#include "capsules/hmac.h"
#include "capsules/sha.h"
#include "components/core.h"
#include "container.h"
#include "kernel/debug.h"

static void mutex_violation(const struct mutex_violation *violation, void *ctx)
{
    (void)ctx;
    debug_printf("mutex %s: %s by %s (%lu)\n",
                 violation->mutex_name != NULL ? violation->mutex_name : "?",
                 mutex_violation_name(violation->kind),
                 violation->owner_name != NULL ? violation->owner_name : "?",
                 (unsigned long)violation->detail);
    kernel_panic("mutex violation");
}

static uint32_t alarm_ticks(void *ctx)
{
    struct hil_alarm *alarm = ctx;
    return hil_alarm_now(alarm);
}

static ticks_t ms_to_ticks(struct hil_alarm *alarm, uint32_t ms)
{
    return (ticks_t)(((uint64_t)hil_alarm_frequency(alarm) * ms) / 1000u);
}

void crypto_component_setup(struct crypto_component *c, struct kernel *k,
                            struct mux_alarm *alarm_mux, uint32_t process_count)
{
    if (process_count > CRYPTO_COMPONENT_MAX_PROCESSES) {
        boot_check(ERR_SIZE, "crypto: more processes than queue entries");
    }
    virtual_alarm_init(&c->sha_alarm, alarm_mux);
    virtual_alarm_init(&c->hmac_alarm, alarm_mux);
    virtual_alarm_init(&c->aes_alarm, alarm_mux);
    struct hil_alarm *clock = &c->sha_alarm.alarm;
    c->mutex_checks = (struct mutex_dispatcher_config){
        .on_violation = mutex_violation,
        .violation_ctx = NULL,
        .now = alarm_ticks,
        .clock_ctx = clock,
        .is_debug = false,
    };
    c->queue_config = (struct cmd_queue_config){
        .now = alarm_ticks,
        .clock_ctx = clock,
        .session_idle_ticks = ms_to_ticks(clock, CRYPTO_SESSION_IDLE_MS),
    };
    boot_check(mutex_dispatcher_init(&c->mutexes, &c->mutex_checks), "mutexes");
    boot_check(crypto_engine_init(&c->engine, &c->mutexes), "crypto engine");
    crypto_engine_aes_init(&c->aes_unit, &c->engine);
    crypto_engine_sha_init(&c->sha_unit, &c->engine);
    boot_check(mux_digest_init(&c->digest_mux, &c->sha_unit.digest), "digest mux");
    virtual_digest_init(&c->sha_digest, &c->digest_mux);
    virtual_digest_init(&c->hmac_digest, &c->digest_mux);
    boot_check(sha_driver_init(&c->sha, &c->sha_digest.digest, &c->sha_alarm.alarm, k,
                               &c->queue_config, c->sha_entries, process_count),
               "sha");
    boot_check(hmac_driver_init(&c->hmac, &c->hmac_digest.digest, &c->hmac_alarm.alarm, k,
                                &c->queue_config, c->hmac_entries, process_count),
               "hmac");
    boot_check(aes_driver_init(&c->aes, &c->aes_unit.aes, &c->aes_unit.aead,
                               &c->aes_alarm.alarm, k,
                               &c->queue_config, c->aes_entries, process_count),
               "aes");
    kernel_add_exit_hook(k, &c->sha.queue.exit_hook);
    kernel_add_exit_hook(k, &c->hmac.queue.exit_hook);
    kernel_add_exit_hook(k, &c->aes.queue.exit_hook);
}
