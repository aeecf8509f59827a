/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* App state (see app_state.h). */
#include "app_state.h"

#include <string.h>

#include "syscalls/app_state_syscalls.h"

/* The callback of the save in flight (ISO C cannot carry it through the opaque pointer). */
static libtock_app_state_callback save_callback;

static void app_state_upcall(int status, int unused1, int unused2, void *opaque)
{
    (void)status;
    (void)unused1;
    (void)unused2;
    (void)opaque;
    if (save_callback != NULL) {
        save_callback(RETURNCODE_SUCCESS);
    }
}

static returncode_t app_state_init(void)
{
    returncode_t ret = libtock_app_state_set_readonly_allow(_app_state_ram_pointer,
                                                           (uint32_t)_app_state_size);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    if (tock_app_number_writeable_flash_regions() == 0) {
        return RETURNCODE_ENOMEM;
    }
    _app_state_flash_pointer = tock_app_writeable_flash_region_begins_at(0);
    _app_state_inited = true;
    return RETURNCODE_SUCCESS;
}

bool libtock_app_state_exists(void)
{
    return libtock_app_state_driver_exists();
}

returncode_t libtock_app_state_load(void)
{
    if (!_app_state_inited) {
        returncode_t ret = app_state_init();
        if (ret != RETURNCODE_SUCCESS) {
            return ret;
        }
    }
    memcpy(_app_state_ram_pointer, _app_state_flash_pointer, _app_state_size);
    return RETURNCODE_SUCCESS;
}

returncode_t libtock_app_state_save(libtock_app_state_callback cb)
{
    if (!_app_state_inited) {
        returncode_t ret = app_state_init();
        if (ret != RETURNCODE_SUCCESS) {
            return ret;
        }
    }
    save_callback = cb;
    returncode_t ret = libtock_app_state_set_upcall(app_state_upcall, NULL);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    return libtock_app_state_command_save((uint32_t)(uintptr_t)_app_state_flash_pointer);
}
