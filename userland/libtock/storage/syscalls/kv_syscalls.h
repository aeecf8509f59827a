/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Key-value (driver 0x50003) system calls, one function per subscribe/allow/command, with
 * libtock-c's names (libtock/storage/syscalls/kv_syscalls.h).
 *
 * Protocol (capsules/kv_driver.h): read-only allow 0 is the key, read-only allow 1 the value to
 * write, read-write allow 0 receives the value a get finds. Commands 1 get, 2 set, 3 delete,
 * 4 add, 5 update, 6 garbage-collect each answer on subscribe 0: get with (status,
 * value_length, 0), the others with (status, 0, 0). A command refused up front returns
 * EINVAL (no storage permission), ERESERVE (allow missing), ESIZE (key or value too long) or
 * ENOMEM (this process already has a request pending).
 *
 * Usage: the async layer is storage/kv.h; the sync layer is libtock-sync/storage/kv.h.
 *
 * Invariants: none beyond the kernel's; these are thin wrappers.
 */
#pragma once

#include "../../tock.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DRIVER_NUM_KV 0x50003

bool libtock_kv_exists(void);

/* Subscribe 0: every operation's completion. */
returncode_t libtock_kv_set_upcall(subscribe_upcall callback, void *opaque);

/* Read-only allow 0: the key (its length is the key's length). NULL/0 takes it back. */
returncode_t libtock_kv_set_readonly_allow_key_buffer(const uint8_t *buffer, uint32_t len);

/* Read-only allow 1: the value for set, add and update. */
returncode_t libtock_kv_set_readonly_allow_input_buffer(const uint8_t *buffer, uint32_t len);

/* Read-write allow 0: where get writes the value (the first len bytes of it). */
returncode_t libtock_kv_set_readwrite_allow_output_buffer(uint8_t *buffer, uint32_t len);

/* Commands 1-6; on RETURNCODE_SUCCESS the subscribe-0 upcall follows. */
returncode_t libtock_kv_command_get(void);
returncode_t libtock_kv_command_set(void);
returncode_t libtock_kv_command_delete(void);
returncode_t libtock_kv_command_add(void);
returncode_t libtock_kv_command_update(void);
returncode_t libtock_kv_command_garbage_collect(void);

#ifdef __cplusplus
}
#endif
