/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* App state, synchronous waits (libtock-c's libtock-sync/storage/syscalls/app_state_syscalls.h). */
#pragma once

#include <libtock/tock.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Wait for the save's upcall; its status (0 on success) as libtock-c returns it. */
returncode_t libtocksync_app_state_yield_wait_for(void);

#ifdef __cplusplus
}
#endif
