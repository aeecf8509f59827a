/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* App state, synchronous waits (see app_state_syscalls.h). */
#include "app_state_syscalls.h"

#include <libtock/storage/syscalls/app_state_syscalls.h>

returncode_t libtocksync_app_state_yield_wait_for(void)
{
    yield_waitfor_return_t ywf = yield_wait_for(DRIVER_NUM_APP_STATE, 0);
    return (returncode_t)ywf.data0;
}
