/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * App state, synchronous (libtock-c's libtock-sync/storage/app_state.h): load with
 * libtock_app_state_load() (libtock/storage/app_state.h), save and wait with
 * libtocksync_app_state_save().
 *
 * Invariants: none.
 */
#pragma once

#include <libtock/storage/app_state.h>
#include <libtock/tock.h>

#ifdef __cplusplus
extern "C" {
#endif

bool libtocksync_app_state_exists(void);
returncode_t libtocksync_app_state_save(void);

#ifdef __cplusplus
}
#endif
