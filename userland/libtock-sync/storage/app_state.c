/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* App state, synchronous (see app_state.h). */
#include "app_state.h"

#include <libtock/storage/syscalls/app_state_syscalls.h>

#include "syscalls/app_state_syscalls.h"

static void app_state_noop(returncode_t ret)
{
    (void)ret;
}

bool libtocksync_app_state_exists(void)
{
    return libtock_app_state_driver_exists();
}

returncode_t libtocksync_app_state_save(void)
{
    returncode_t ret = libtock_app_state_save(app_state_noop);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    return libtocksync_app_state_yield_wait_for();
}
