/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Asynchronous key-value storage over the key-value system calls.
 *
 * Usage: see kv.h.
 *
 * Invariants: the user's callback waits in get_callback or done_callback (ISO C cannot pass a
 * function pointer as the upcall's opaque pointer); the driver allows one outstanding request
 * per process, so one slot of each is enough.
 */
#include "kv.h"

static libtock_kv_callback_get get_callback;
static libtock_kv_callback_done done_callback;

static void kv_get_upcall(int status, int length, int unused, void *opaque)
{
    (void)unused;
    (void)opaque;
    get_callback(tock_status_to_returncode((statuscode_t)status), length);
}

static void kv_done_upcall(int status, int unused1, int unused2, void *opaque)
{
    (void)unused1;
    (void)unused2;
    (void)opaque;
    done_callback(tock_status_to_returncode((statuscode_t)status));
}

returncode_t libtock_kv_get(const uint8_t *key_buffer, uint32_t key_len, uint8_t *ret_buffer,
                            uint32_t ret_len, libtock_kv_callback_get cb)
{
    get_callback = cb;
    returncode_t ret = libtock_kv_set_upcall(kv_get_upcall, NULL);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    ret = libtock_kv_set_readonly_allow_key_buffer(key_buffer, key_len);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    ret = libtock_kv_set_readwrite_allow_output_buffer(ret_buffer, ret_len);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    return libtock_kv_command_get();
}

/* set, add and update: the key, the value, then the command. */
static returncode_t kv_write(const uint8_t *key_buffer, uint32_t key_len,
                             const uint8_t *val_buffer, uint32_t val_len,
                             returncode_t (*command_fn)(void), libtock_kv_callback_done cb)
{
    done_callback = cb;
    returncode_t ret = libtock_kv_set_upcall(kv_done_upcall, NULL);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    ret = libtock_kv_set_readonly_allow_key_buffer(key_buffer, key_len);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    ret = libtock_kv_set_readonly_allow_input_buffer(val_buffer, val_len);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    return command_fn();
}

returncode_t libtock_kv_set(const uint8_t *key_buffer, uint32_t key_len,
                            const uint8_t *val_buffer, uint32_t val_len,
                            libtock_kv_callback_done cb)
{
    return kv_write(key_buffer, key_len, val_buffer, val_len, libtock_kv_command_set, cb);
}

returncode_t libtock_kv_add(const uint8_t *key_buffer, uint32_t key_len,
                            const uint8_t *val_buffer, uint32_t val_len,
                            libtock_kv_callback_done cb)
{
    return kv_write(key_buffer, key_len, val_buffer, val_len, libtock_kv_command_add, cb);
}

returncode_t libtock_kv_update(const uint8_t *key_buffer, uint32_t key_len,
                               const uint8_t *val_buffer, uint32_t val_len,
                               libtock_kv_callback_done cb)
{
    return kv_write(key_buffer, key_len, val_buffer, val_len, libtock_kv_command_update, cb);
}

returncode_t libtock_kv_delete(const uint8_t *key_buffer, uint32_t key_len,
                               libtock_kv_callback_done cb)
{
    done_callback = cb;
    returncode_t ret = libtock_kv_set_upcall(kv_done_upcall, NULL);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    ret = libtock_kv_set_readonly_allow_key_buffer(key_buffer, key_len);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    return libtock_kv_command_delete();
}

returncode_t libtock_kv_garbage_collect(libtock_kv_callback_done cb)
{
    done_callback = cb;
    returncode_t ret = libtock_kv_set_upcall(kv_done_upcall, NULL);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    return libtock_kv_command_garbage_collect();
}
