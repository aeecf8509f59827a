/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Isolated nonvolatile storage, synchronous waits (see the header). */
#include "isolated_nonvolatile_storage_syscalls.h"

#include <libtock/storage/syscalls/isolated_nonvolatile_storage_syscalls.h>

returncode_t libtocksync_isolated_nonvolatile_storage_yield_wait_for_get_number_bytes(
    uint64_t *number_bytes)
{
    yield_waitfor_return_t ywf = yield_wait_for(DRIVER_NUM_ISOLATED_NONVOLATILE_STORAGE, 0);
    returncode_t ret = (returncode_t)ywf.data0;
    if (ret == RETURNCODE_SUCCESS) {
        *number_bytes = ((uint64_t)ywf.data2 << 32) | (uint64_t)ywf.data1;
    }
    return ret;
}

returncode_t libtocksync_isolated_nonvolatile_storage_yield_wait_for_read(void)
{
    return (returncode_t)yield_wait_for(DRIVER_NUM_ISOLATED_NONVOLATILE_STORAGE, 1).data0;
}

returncode_t libtocksync_isolated_nonvolatile_storage_yield_wait_for_write(void)
{
    return (returncode_t)yield_wait_for(DRIVER_NUM_ISOLATED_NONVOLATILE_STORAGE, 2).data0;
}
