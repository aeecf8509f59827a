/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * App state: a structure an app keeps in its own flash across restarts (libtock-c's
 * libtock/storage/app_state.h).
 *
 * LIBTOCK_APP_STATE_DECLARE(type, name); (the caller's semicolon ends it) declares `name` in RAM and a copy of the same type in
 * the `.app_state` section, which the linker script puts in a writeable flash region (the
 * packer emits the TBF TLV for it). libtock_app_state_load() copies the flash copy into RAM;
 * libtock_app_state_save(cb) asks the kernel to write the RAM copy back and calls cb when done.
 * An app may declare one app state.
 *
 * Usage:
 *     LIBTOCK_APP_STATE_DECLARE(struct my_state, state);
 *     libtock_app_state_load();  ... change state ...  libtocksync_app_state_save();
 *
 * Invariants: the library is set up on first use (the allow and the region's address).
 */
#pragma once

#include "../tock.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LIBTOCK_APP_STATE_DECLARE(_type, _identifier)                                          \
    __attribute__((section(".app_state"))) _type _app_state_flash;                            \
    _type _identifier;                                                                         \
    void *_app_state_flash_pointer = NULL;                                                     \
    void *_app_state_ram_pointer = &_identifier;                                               \
    size_t _app_state_size = sizeof(_type);                                                    \
    bool _app_state_inited = false

extern void *_app_state_flash_pointer;
extern void *_app_state_ram_pointer;
extern size_t _app_state_size;
extern bool _app_state_inited;

/* The save finished: RETURNCODE_SUCCESS (libtock-c reports success whatever the status). */
typedef void (*libtock_app_state_callback)(returncode_t);

bool libtock_app_state_exists(void);
/* Copy the flash copy into the RAM copy. ENOMEM: the app has no writeable flash region. */
returncode_t libtock_app_state_load(void);
/* Write the RAM copy to flash; cb follows. */
returncode_t libtock_app_state_save(libtock_app_state_callback cb);

#ifdef __cplusplus
}
#endif
