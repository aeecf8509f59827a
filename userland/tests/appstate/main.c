/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * appstate: the app flash driver (0x50000) through libtock-c's app_state library: a counter in
 * the app's own writeable flash region survives the process restarting itself, and writes
 * outside the region are refused.
 *
 * Expected output, in order:
 *   appstate: first run            (the region still holds the packer's zeros)
 *   appstate: run 2
 *   appstate: run 3
 *   appstate: outside region EINVAL, header EINVAL, no bytes ERESERVE
 *   appstate: done
 * Any failed check prints "appstate: FAIL <what>" and exits.
 *
 * Usage: load with another app (tests/board/cases.py); it restarts itself twice.
 *
 * Invariants: one save outstanding at a time.
 */
#include <stdint.h>
#include <stdio.h>

#include <libtock-sync/storage/app_state.h>
#include <libtock/storage/syscalls/app_state_syscalls.h>
#include <libtock/tock.h>

#define MAGIC 0x7A5Eu

struct counter {
    uint32_t magic;
    uint32_t runs;
};

LIBTOCK_APP_STATE_DECLARE(struct counter, counter);

static void fail(const char *what, returncode_t ret)
{
    printf("appstate: FAIL %s (%d)\n", what, (int)ret);
    tock_exit(1);
}

static const char *name(returncode_t ret)
{
    return ret == RETURNCODE_EINVAL ? "EINVAL" : ret == RETURNCODE_ERESERVE ? "ERESERVE" : "?";
}

int main(void)
{
    returncode_t ret = libtock_app_state_load();
    if (ret != RETURNCODE_SUCCESS) {
        fail("load", ret);
    }
    if (counter.magic != MAGIC) {
        printf("appstate: first run\n");
        counter.magic = MAGIC;
        counter.runs = 1;
    } else {
        counter.runs++;
        printf("appstate: run %lu\n", (unsigned long)counter.runs);
    }
    if (counter.runs < 3) {
        ret = libtocksync_app_state_save();
        if (ret != RETURNCODE_SUCCESS) {
            fail("save", ret);
        }
        tock_restart(0);
    }
    /* Refusals: a destination past the region, the app's own TBF header, and no bytes. */
    uint32_t region = (uint32_t)(uintptr_t)tock_app_writeable_flash_region_begins_at(0);
    returncode_t past = libtock_app_state_command_save(region + 4);
    uint32_t header = (uint32_t)(uintptr_t)tock_app_flash_begins_at();
    returncode_t over_header = libtock_app_state_command_save(header);
    (void)libtock_app_state_set_readonly_allow(NULL, 0);
    returncode_t empty = libtock_app_state_command_save(region);
    printf("appstate: outside region %s, header %s, no bytes %s\n", name(past),
           name(over_header), name(empty));
    if (past != RETURNCODE_EINVAL || over_header != RETURNCODE_EINVAL ||
        empty != RETURNCODE_ERESERVE) {
        fail("refusals", past);
    }
    printf("appstate: done\n");
    return 0;
}
