/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Asynchronous console over the console system calls.
 *
 * The caller's callbacks are kept in statics rather than passed through the upcall's appdata,
 * so no function pointer is ever converted to a data pointer.
 *
 * Usage: see console.h.
 *
 * Invariants: write_callback/read_callback hold the callback of the operation started last.
 */
#include "console.h"

#include "syscalls/console_syscalls.h"

static libtock_console_callback_write write_callback;
static libtock_console_callback_read read_callback;

static void write_done_upcall(int status, int length, int unused, void *opaque)
{
    (void)unused;
    (void)opaque;
    if (write_callback != NULL) {
        write_callback(tock_status_to_returncode((statuscode_t)status), (uint32_t)length);
    }
}

static void read_done_upcall(int status, int length, int unused, void *opaque)
{
    (void)unused;
    (void)opaque;
    if (read_callback != NULL) {
        read_callback(tock_status_to_returncode((statuscode_t)status), (uint32_t)length);
    }
}

bool libtock_console_exists(void)
{
    return libtock_console_driver_exists();
}

returncode_t libtock_console_write(const uint8_t *buffer, uint32_t len,
                                   libtock_console_callback_write cb)
{
    write_callback = cb;
    returncode_t err = libtock_console_write_done_set_upcall(write_done_upcall, NULL);
    if (err != RETURNCODE_SUCCESS) {
        return err;
    }
    err = libtock_console_set_read_allow(buffer, len);
    if (err != RETURNCODE_SUCCESS) {
        return err;
    }
    return libtock_console_command_write((int)len);
}

returncode_t libtock_console_read(uint8_t *buffer, uint32_t len, libtock_console_callback_read cb)
{
    read_callback = cb;
    returncode_t err = libtock_console_read_done_set_upcall(read_done_upcall, NULL);
    if (err != RETURNCODE_SUCCESS) {
        return err;
    }
    err = libtock_console_set_readwrite_allow(buffer, len);
    if (err != RETURNCODE_SUCCESS) {
        return err;
    }
    return libtock_console_command_read((int)len);
}

returncode_t libtock_console_abort_read(void)
{
    return libtock_console_command_abort_read();
}
