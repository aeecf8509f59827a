/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Shared pieces of the storage capsule tests (see storage_fixture.h). */
#include "storage_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "fake_grant.h"
#include "kernel/deferred_call.h"

bool storage_settle(struct fake_flash *flash, unsigned max_rounds)
{
    for (unsigned round = 0; round < max_rounds; round++) {
        deferred_call_service();
        fake_flash_run(flash);
        if (!deferred_call_has_pending() && !flash->is_busy) {
            return true;
        }
    }
    return false;
}

static uint32_t still_ticks(void *ctx)
{
    (void)ctx;
    return 0;
}

const struct cmd_queue_config storage_still_clock = { .now = still_ticks, .clock_ctx = NULL,
                                                      .session_idle_ticks = 0 };

err_t storage_permissions_from_table(void *ctx, struct process_id pid,
                                     struct storage_permissions *out)
{
    const struct storage_permissions *table = ctx;
    if (pid.index >= FAKE_GRANT_MAX_PROCESSES) {
        return ERR_INVAL;
    }
    *out = table[pid.index];
    return ERR_OK;
}

unsigned storage_cut_everywhere(const struct storage_cut_campaign *campaign, unsigned count)
{
    unsigned runs = 0;
    for (unsigned k = 1; k <= count; k++) {
        for (unsigned tear = 0; tear < FAKE_FLASH_TEAR_COUNT; tear++) {
            campaign->fresh_boot();
            fake_flash_cut_power(campaign->flash, k, (enum fake_flash_tear)tear);
            campaign->workload();
            assert_true(campaign->flash->is_cut);
            campaign->reboot();
            campaign->check(k, tear);
            runs++;
        }
    }
    return runs;
}
