/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Key-value (driver 0x50003) system calls.
 *
 * Usage: see kv_syscalls.h.
 *
 * Invariants: none.
 */
#include "kv_syscalls.h"

enum {
    KV_UPCALL = 0,
    KV_ALLOW_RO_KEY = 0,
    KV_ALLOW_RO_VALUE = 1,
    KV_ALLOW_RW_VALUE = 0,
    KV_CMD_GET = 1,
    KV_CMD_SET = 2,
    KV_CMD_DELETE = 3,
    KV_CMD_ADD = 4,
    KV_CMD_UPDATE = 5,
    KV_CMD_GARBAGE_COLLECT = 6,
};

bool libtock_kv_exists(void)
{
    return driver_exists(DRIVER_NUM_KV);
}

returncode_t libtock_kv_set_upcall(subscribe_upcall callback, void *opaque)
{
    return tock_subscribe_return_to_returncode(
        subscribe(DRIVER_NUM_KV, KV_UPCALL, callback, opaque));
}

returncode_t libtock_kv_set_readonly_allow_key_buffer(const uint8_t *buffer, uint32_t len)
{
    return tock_allow_ro_return_to_returncode(
        allow_readonly(DRIVER_NUM_KV, KV_ALLOW_RO_KEY, buffer, len));
}

returncode_t libtock_kv_set_readonly_allow_input_buffer(const uint8_t *buffer, uint32_t len)
{
    return tock_allow_ro_return_to_returncode(
        allow_readonly(DRIVER_NUM_KV, KV_ALLOW_RO_VALUE, buffer, len));
}

returncode_t libtock_kv_set_readwrite_allow_output_buffer(uint8_t *buffer, uint32_t len)
{
    return tock_allow_rw_return_to_returncode(
        allow_readwrite(DRIVER_NUM_KV, KV_ALLOW_RW_VALUE, buffer, len));
}

static returncode_t kv_command(uint32_t command_num)
{
    return tock_command_return_novalue_to_returncode(command(DRIVER_NUM_KV, command_num, 0, 0));
}

returncode_t libtock_kv_command_get(void)
{
    return kv_command(KV_CMD_GET);
}

returncode_t libtock_kv_command_set(void)
{
    return kv_command(KV_CMD_SET);
}

returncode_t libtock_kv_command_delete(void)
{
    return kv_command(KV_CMD_DELETE);
}

returncode_t libtock_kv_command_add(void)
{
    return kv_command(KV_CMD_ADD);
}

returncode_t libtock_kv_command_update(void)
{
    return kv_command(KV_CMD_UPDATE);
}

returncode_t libtock_kv_command_garbage_collect(void)
{
    return kv_command(KV_CMD_GARBAGE_COLLECT);
}
