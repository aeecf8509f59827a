/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Synchronous key-value storage over the key-value system calls and Yield-WaitFor.
 *
 * Usage: see kv.h.
 *
 * Invariants: every successful allow is undone before returning.
 */
#include "kv.h"

bool libtocksync_kv_exists(void)
{
    return libtock_kv_exists();
}

returncode_t libtocksync_kv_get(const uint8_t *key_buffer, uint32_t key_len, uint8_t *ret_buffer,
                                uint32_t ret_len, uint32_t *value_len)
{
    returncode_t ret = libtock_kv_set_readonly_allow_key_buffer(key_buffer, key_len);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    ret = libtock_kv_set_readwrite_allow_output_buffer(ret_buffer, ret_len);
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtock_kv_command_get();
        if (ret == RETURNCODE_SUCCESS) {
            int length = 0;
            ret = libtocksync_kv_yield_wait_for_get(&length);
            if (ret == RETURNCODE_SUCCESS || ret == RETURNCODE_ESIZE) {
                *value_len = (uint32_t)length;
            }
        }
        (void)libtock_kv_set_readwrite_allow_output_buffer(NULL, 0);
    }
    (void)libtock_kv_set_readonly_allow_key_buffer(NULL, 0);
    return ret;
}

/* set, add and update: allow the key and the value, run the command, wait, take them back. */
static returncode_t kv_write(const uint8_t *key_buffer, uint32_t key_len,
                             const uint8_t *val_buffer, uint32_t val_len,
                             returncode_t (*command_fn)(void))
{
    returncode_t ret = libtock_kv_set_readonly_allow_key_buffer(key_buffer, key_len);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    ret = libtock_kv_set_readonly_allow_input_buffer(val_buffer, val_len);
    if (ret == RETURNCODE_SUCCESS) {
        ret = command_fn();
        if (ret == RETURNCODE_SUCCESS) {
            ret = libtocksync_kv_yield_wait_for_done();
        }
        (void)libtock_kv_set_readonly_allow_input_buffer(NULL, 0);
    }
    (void)libtock_kv_set_readonly_allow_key_buffer(NULL, 0);
    return ret;
}

returncode_t libtocksync_kv_set(const uint8_t *key_buffer, uint32_t key_len,
                                const uint8_t *val_buffer, uint32_t val_len)
{
    return kv_write(key_buffer, key_len, val_buffer, val_len, libtock_kv_command_set);
}

returncode_t libtocksync_kv_add(const uint8_t *key_buffer, uint32_t key_len,
                                const uint8_t *val_buffer, uint32_t val_len)
{
    return kv_write(key_buffer, key_len, val_buffer, val_len, libtock_kv_command_add);
}

returncode_t libtocksync_kv_update(const uint8_t *key_buffer, uint32_t key_len,
                                   const uint8_t *val_buffer, uint32_t val_len)
{
    return kv_write(key_buffer, key_len, val_buffer, val_len, libtock_kv_command_update);
}

returncode_t libtocksync_kv_delete(const uint8_t *key_buffer, uint32_t key_len)
{
    returncode_t ret = libtock_kv_set_readonly_allow_key_buffer(key_buffer, key_len);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    ret = libtock_kv_command_delete();
    if (ret == RETURNCODE_SUCCESS) {
        ret = libtocksync_kv_yield_wait_for_done();
    }
    (void)libtock_kv_set_readonly_allow_key_buffer(NULL, 0);
    return ret;
}

returncode_t libtocksync_kv_garbage_collect(void)
{
    returncode_t ret = libtock_kv_command_garbage_collect();
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    return libtocksync_kv_yield_wait_for_done();
}
