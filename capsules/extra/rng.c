/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * RNG syscall driver 0x40001 over an HMAC_DRBG seeded from an entropy source (see
 * capsules/rng.h).
 *
 * Usage: see capsules/rng.h.
 *
 * Invariants: see capsules/rng.h. The source's callback never arrives inside a call to it (the
 * split-phase contract), so asking it for entropy from inside command's grant entry is safe,
 * and the callback may walk the grants.
 */
#include "capsules/rng.h"

#include "capsules/driver_num.h"
#include "container.h"

static void wipe(void *p, size_t len)
{
    volatile uint8_t *bytes = p;
    for (size_t i = 0; i < len; i++) {
        bytes[i] = 0;
    }
}

static bool is_instantiated(const struct rng_driver *rng)
{
    return rng->drbg.reseed_counter != 0;
}

static bool is_usable(const struct rng_driver *rng)
{
    return is_instantiated(rng) &&
           hmac_drbg_generates_since_seed(&rng->drbg) < rng->config->reseed_limit;
}

/* Lend `seed` to the source for an instantiation (entropy and nonce) or a reseed. */
static err_t fetch(struct rng_driver *rng)
{
    size_t len = is_instantiated(rng) ? RNG_RESEED_LEN : RNG_SEED_LEN;
    err_t err = hil_entropy_get(rng->source, rng->seed, len);
    if (err == ERR_OK) {
        rng->is_fetching = true;
    }
    return err;
}

static void complete(struct rng_app *app, struct grant_kernel_data *kd)
{
    app->is_pending = false;
    app->remaining = 0;
    /* A full upcall queue drops the event (the kernel counts it); nothing else to do here. */
    err_t ignored = grant_schedule_upcall(kd, RNG_UPCALL_DONE, 0, app->filled, 0);
    (void)ignored;
}

static void complete_waiting(struct process_id pid, void *data, struct grant_kernel_data *kd,
                             void *ctx)
{
    (void)pid;
    (void)ctx;
    struct rng_app *app = data;
    if (app->is_pending) {
        complete(app, kd);
    }
}

/* The source failed and nothing can be generated: nobody waits for ever. */
static void fail_waiting(struct rng_driver *rng)
{
    grant_each(&rng->grant, complete_waiting, rng);
}

static void serve_one(struct process_id pid, void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)pid;
    struct rng_driver *rng = ctx;
    struct rng_app *app = data;
    if (!app->is_pending) {
        return;
    }
    if (!is_usable(rng)) {
        rng->has_waiting = true;
        return;
    }
    size_t buffer_len = grant_rw_len(kd, RNG_ALLOW_BUFFER);
    size_t room = buffer_len > app->filled ? buffer_len - app->filled : 0;
    size_t n = app->remaining;
    n = n < room ? n : room;
    n = n < RNG_CHUNK ? n : RNG_CHUNK;
    if (n > 0) {
        err_t err = hmac_drbg_generate(&rng->drbg, rng->chunk, n, NULL, 0);
        if (err == ERR_OK) {
            err = grant_rw_write(kd, RNG_ALLOW_BUFFER, app->filled, rng->chunk, n);
        }
        wipe(rng->chunk, n);
        if (err != ERR_OK) {
            complete(app, kd); /* cannot happen: usable DRBG, n within the checked room */
            return;
        }
        app->filled += (uint32_t)n;
        app->remaining -= (uint32_t)n;
        room -= n;
    }
    if (app->remaining == 0 || room == 0) {
        complete(app, kd);
    } else {
        rng->has_waiting = true;
    }
}

static void serve(void *ctx)
{
    struct rng_driver *rng = ctx;
    rng->has_waiting = false;
    grant_each(&rng->grant, serve_one, rng);
    if (is_instantiated(rng) && !rng->is_fetching &&
        hmac_drbg_generates_since_seed(&rng->drbg) >= rng->config->reseed_after) {
        if (fetch(rng) != ERR_OK && !is_usable(rng)) {
            fail_waiting(rng);
            return;
        }
    }
    if (rng->has_waiting && is_usable(rng)) {
        deferred_call_set(&rng->serve);
    }
}

static void entropy_ready(struct hil_entropy_client *client, uint8_t *buf, size_t len,
                          err_t status)
{
    (void)buf;
    struct rng_driver *rng = CONTAINER_OF(client, struct rng_driver, entropy_client);
    rng->is_fetching = false;
    if (status == ERR_OK && !is_instantiated(rng) && len == RNG_SEED_LEN) {
        hmac_drbg_instantiate(&rng->drbg, rng->seed, HMAC_DRBG_MIN_ENTROPY_LEN,
                              rng->seed + HMAC_DRBG_MIN_ENTROPY_LEN, HMAC_DRBG_MIN_NONCE_LEN,
                              rng->config->personalization, rng->config->personalization_len);
    } else if (status == ERR_OK && is_instantiated(rng) && len == RNG_RESEED_LEN) {
        err_t ignored = hmac_drbg_reseed(&rng->drbg, rng->seed, RNG_RESEED_LEN, NULL, 0);
        (void)ignored; /* cannot fail: the DRBG is instantiated */
    }
    wipe(rng->seed, sizeof rng->seed);
    if (is_usable(rng)) {
        deferred_call_set(&rng->serve);
    } else {
        fail_waiting(rng);
    }
}

static const struct hil_entropy_client_ops rng_entropy_client_ops = {
    .entropy_ready = entropy_ready,
};

struct request_args {
    struct rng_driver *rng;
    uint32_t len;
};

static err_t request_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)kd;
    struct rng_app *app = data;
    const struct request_args *args = ctx;
    struct rng_driver *rng = args->rng;
    if (app->is_pending) {
        return ERR_BUSY;
    }
    if (!is_usable(rng) && !rng->is_fetching) {
        err_t err = fetch(rng);
        if (err != ERR_OK) {
            return ERR_NODEVICE;
        }
    }
    app->remaining = args->len;
    app->filled = 0;
    app->is_pending = true;
    return ERR_OK;
}

static struct syscall_return
rng_command_result(struct syscall_driver *driver, uint32_t command_num, uint32_t arg0,
                   uint32_t arg1, struct process_id pid)
{
    (void)arg1;
    struct rng_driver *rng = CONTAINER_OF(driver, struct rng_driver, driver);
    switch (command_num) {
    case RNG_CMD_EXISTS:
        return syscall_success();
    case RNG_CMD_GET: {
        struct request_args args = { .rng = rng, .len = arg0 };
        err_t err = grant_enter(&rng->grant, pid, request_in_grant, &args);
        if (err != ERR_OK) {
            return syscall_failure(err);
        }
        if (is_usable(rng)) {
            deferred_call_set(&rng->serve);
        }
        return syscall_success();
    }
    default:
        return syscall_failure(ERR_NOSUPPORT);
    }
}

static void rng_command(struct syscall_driver *driver, uint32_t *regs, struct process_id pid)
{
    syscall_command_run(rng_command_result, driver, regs, pid);
}

static const struct syscall_driver_ops rng_driver_ops = { .command = rng_command };

err_t rng_driver_init(struct rng_driver *rng, struct kernel *k, struct hil_entropy *source,
                      const struct rng_config *config)
{
    if (config == NULL || config->reseed_after == 0 ||
        config->reseed_limit <= config->reseed_after ||
        (config->personalization == NULL && config->personalization_len != 0)) {
        return ERR_INVAL;
    }
    *rng = (struct rng_driver){
        .driver = { .ops = &rng_driver_ops, .grant = &rng->grant },
        .entropy_client = { .ops = &rng_entropy_client_ops },
        .source = source,
        .config = config,
    };
    hil_entropy_set_client(source, &rng->entropy_client);
    err_t err = deferred_call_register(&rng->serve, serve, rng);
    if (err != ERR_OK) {
        return err;
    }
    const struct grant_config grant_config = {
        .driver_num = RNG_DRIVER_NUM,
        .data_size = sizeof(struct rng_app),
        .data_align = _Alignof(struct rng_app),
        .upcalls = 1,
        .read_only = 0,
        .read_write = 1,
        .userspace_readable = 0,
    };
    return grant_create(&rng->grant, k, &grant_config);
}
