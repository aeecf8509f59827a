/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Console Yield-WaitFor helpers.
 *
 * Usage: see console_syscalls.h.
 *
 * Invariants: none.
 */
#include "console_syscalls.h"

returncode_t libtocksync_console_yield_wait_for_write(uint32_t *bytes_written)
{
    yield_waitfor_return_t event = yield_wait_for(DRIVER_NUM_CONSOLE, 1);
    *bytes_written = event.data1;
    return tock_status_to_returncode((statuscode_t)event.data0);
}

returncode_t libtocksync_console_yield_wait_for_read(uint32_t *bytes_read)
{
    yield_waitfor_return_t event = yield_wait_for(DRIVER_NUM_CONSOLE, 2);
    *bytes_read = event.data1;
    return tock_status_to_returncode((statuscode_t)event.data0);
}
