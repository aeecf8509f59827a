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

err_t storage_process_permissions(void *kernel, struct process_id pid,
                                  struct storage_permissions *out)
{
    const struct process *p = kernel_process(kernel, pid);
    if (p == NULL) {
        return ERR_INVAL;
    }
    *out = p->storage_permissions;
    return ERR_OK;
}

void kv_component_setup(struct kv_component *c, struct kernel *k, struct mux_flash *mux,
                        const struct kv_store_config *config,
                        const struct cmd_queue_config *queue_config)
{
    boot_check(k->config.process_count <= ARRAY_LEN(c->entries) ? ERR_OK : ERR_SIZE,
               "kv process count");
    virtual_flash_init(&c->flash, mux);
    boot_check(kv_store_init(&c->store, &c->flash.flash, config, c->page, c->out,
                             sizeof c->page),
               "kv store");
    c->driver_config = (struct kv_driver_config){ .permissions = storage_process_permissions,
                                                  .ctx = k };
    boot_check(kv_driver_init(&c->driver, &c->store, &c->driver_config, c->key, c->value,
                              queue_config, c->entries, k->config.process_count, k),
               "kv driver");
    kernel_add_exit_hook(k, &c->driver.queue.exit_hook);
}
