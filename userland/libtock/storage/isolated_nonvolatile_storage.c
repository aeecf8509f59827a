/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Isolated nonvolatile storage, callback style (see isolated_nonvolatile_storage.h). */
#include "isolated_nonvolatile_storage.h"

#include "syscalls/isolated_nonvolatile_storage_syscalls.h"

/* The callbacks of the requests in flight (ISO C cannot carry them through opaque). */
static libtock_isolated_nonvolatile_storage_callback_get_number_bytes size_callback;
static libtock_isolated_nonvolatile_storage_callback_read read_callback;
static libtock_isolated_nonvolatile_storage_callback_write write_callback;

static void size_done(int status, int low, int high, void *opaque)
{
    (void)opaque;
    if (size_callback != NULL) {
        size_callback(tock_status_to_returncode((statuscode_t)status),
                      (uint64_t)(uint32_t)low | ((uint64_t)(uint32_t)high << 32));
    }
}

static void read_done(int status, int unused1, int unused2, void *opaque)
{
    (void)unused1;
    (void)unused2;
    (void)opaque;
    if (read_callback != NULL) {
        read_callback(tock_status_to_returncode((statuscode_t)status));
    }
}

static void write_done(int status, int unused1, int unused2, void *opaque)
{
    (void)unused1;
    (void)unused2;
    (void)opaque;
    if (write_callback != NULL) {
        write_callback(tock_status_to_returncode((statuscode_t)status));
    }
}

bool libtock_isolated_nonvolatile_storage_exists(void)
{
    return libtock_isolated_nonvolatile_storage_driver_exists();
}

returncode_t libtock_isolated_nonvolatile_storage_get_number_bytes(
    libtock_isolated_nonvolatile_storage_callback_get_number_bytes cb)
{
    returncode_t ret =
        libtock_isolated_nonvolatile_storage_set_upcall_get_number_bytes_done(size_done, NULL);
    size_callback = cb;
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    return libtock_isolated_nonvolatile_storage_command_get_number_bytes();
}

returncode_t libtock_isolated_nonvolatile_storage_write(
    uint64_t offset, uint8_t *buffer, size_t buffer_length,
    libtock_isolated_nonvolatile_storage_callback_write cb)
{
    write_callback = cb;
    returncode_t ret = libtock_isolated_nonvolatile_storage_set_upcall_write_done(write_done,
                                                                                  NULL);
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_isolated_nonvolatile_storage_set_allow_readonly_write_buffer(buffer,
                                                                                  buffer_length);
    }
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_isolated_nonvolatile_storage_command_write(offset);
    }
    return ret;
}

returncode_t libtock_isolated_nonvolatile_storage_read(
    uint64_t offset, uint8_t *buffer, size_t buffer_length,
    libtock_isolated_nonvolatile_storage_callback_read cb)
{
    read_callback = cb;
    returncode_t ret = libtock_isolated_nonvolatile_storage_set_upcall_read_done(read_done, NULL);
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_isolated_nonvolatile_storage_set_allow_readwrite_read_buffer(buffer,
                                                                                  buffer_length);
    }
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_isolated_nonvolatile_storage_command_read(offset);
    }
    return ret;
}
