/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * App state (app flash driver 0x50000) system calls with libtock-c's names
 * (libtock/storage/syscalls/app_state_syscalls.h).
 *
 * Protocol (capsules/app_flash_driver.h): read-only allow 0 holds the bytes; command 1 with an
 * absolute flash address writes all of them there, which must lie inside one of the app's own
 * writeable flash regions; subscribe 0 gets (status, 0, 0) when the write is done. Refusals at
 * the command: EINVAL (outside the app's regions), ERESERVE (no bytes allowed), ENOMEM (a write
 * is already pending).
 *
 * Usage: the async layer is storage/app_state.h, the sync one libtock-sync/storage/app_state.h.
 *
 * Invariants: none beyond the kernel's; these are thin wrappers.
 */
#pragma once

#include "../../tock.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DRIVER_NUM_APP_STATE 0x50000

bool libtock_app_state_driver_exists(void);
returncode_t libtock_app_state_set_upcall(subscribe_upcall cb, void *opaque);
returncode_t libtock_app_state_set_readonly_allow(const uint8_t *buf, uint32_t len);
returncode_t libtock_app_state_command_save(uint32_t flash_pointer);

#ifdef __cplusplus
}
#endif
