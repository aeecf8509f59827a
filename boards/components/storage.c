/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Flash storage wiring (see components/storage.h).
 *
 * Usage: see components/storage.h.
 *
 * Invariants: runs once at boot; every failure stops the board through boot_check.
 */
#include "components/storage.h"

#include "components/core.h"
#include "container.h"
#include "hil/alarm.h"

uint32_t storage_ticks(void *alarm)
{
    return hil_alarm_now(alarm);
}

void storage_component_setup(struct storage_component *c, struct kernel *k,
                             struct hil_flash *flash,
                             const struct nonvolatile_storage_config *config,
                             const struct cmd_queue_config *queue_config)
{
    boot_check(k->config.process_count <= ARRAY_LEN(c->entries) ? ERR_OK : ERR_SIZE,
               "storage process count");
    boot_check(mux_flash_init(&c->flash_mux, flash), "flash mux");
    virtual_flash_init(&c->nvs_flash, &c->flash_mux);
    boot_check(nonvolatile_storage_init(&c->nvs, &c->nvs_flash.flash, config, c->page_buf,
                                        sizeof c->page_buf, queue_config, c->entries,
                                        k->config.process_count, k),
               "nonvolatile storage");
    kernel_add_exit_hook(k, &c->nvs.queue.exit_hook);
}
