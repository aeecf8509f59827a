/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The app loader's syscalls for the loader tests (see loader.h).
 */
#include "loader.h"

#include <libtock/tock.h>

static uint8_t buffer[LOADER_BIG_CHUNK];

int loader_command(uint32_t num, uint32_t arg0, uint32_t arg1)
{
    syscall_return_t r = command(LOADER_DRIVER, num, (int)arg0, (int)arg1);
    if (r.type == TOCK_SYSCALL_SUCCESS) {
        return 0;
    }
    return r.type == TOCK_SYSCALL_FAILURE ? (int)r.data[0] : -1;
}

int loader_wait(uint32_t upcall)
{
    yield_waitfor_return_t r = yield_wait_for(LOADER_DRIVER, upcall);
    return (int)r.data0;
}

int loader_write_image(const uint8_t *image, uint32_t size, uint32_t flip, uint32_t chunk,
                       bool pad)
{
    for (uint32_t offset = 0; offset < size; offset += chunk) {
        uint32_t len = size - offset < chunk ? size - offset : chunk;
        for (uint32_t i = 0; i < chunk; i++) {
            buffer[i] = i < len ? image[offset + i] : 0;
            if (offset + i == flip) {
                buffer[i] ^= 0xFFu;
            }
        }
        if (pad) {
            len = chunk;
        }
        allow_ro_return_t a = allow_readonly(LOADER_DRIVER, 0, buffer, len);
        if (!a.success) {
            return (int)a.status;
        }
        int st = loader_command(LOADER_WRITE, offset, len);
        if (st == 0) {
            st = loader_wait(LOADER_UPCALL_WRITE);
        }
        if (st != 0) {
            return st;
        }
    }
    return 0;
}
