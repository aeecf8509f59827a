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

bool storage_app_flash_is_writeable(void *kernel, struct process_id pid, uintptr_t address,
                                    uint32_t len)
{
    const struct process *p = kernel_process(kernel, pid);
    return p != NULL && process_in_writeable_flash(p, address, len);
}

void app_flash_component_setup(struct app_flash_component *c, struct kernel *k,
                               const struct cmd_queue_config *queue_config)
{
    boot_check(k->config.process_count <= ARRAY_LEN(c->entries) ? ERR_OK : ERR_SIZE,
               "app flash process count");
    uintptr_t start = k->config.app_flash_start;
    size_t len = (size_t)(k->config.app_flash_end - start);
    boot_check(ram_flash_init_loaded(&c->device, (uint8_t *)start, len, STORAGE_PAGE_SIZE, 1),
               "app flash device");
    boot_check(mux_flash_init(&c->mux, &c->device.flash), "app flash mux");
    virtual_flash_init(&c->driver_flash, &c->mux);
    virtual_flash_init(&c->loader_flash, &c->mux);
    boot_check(app_loader_init(&c->loader, &c->loader_flash.flash, c->loader_page,
                               sizeof c->loader_page, k),
               "app loader");
    kernel_add_exit_hook(k, &c->loader.exit_hook);
    c->config = (struct app_flash_driver_config){
        .is_writeable = storage_app_flash_is_writeable, .ctx = k, .base = start };
    boot_check(app_flash_driver_init(&c->driver, &c->driver_flash.flash, &c->config, c->page,
                                     sizeof c->page, queue_config, c->entries,
                                     k->config.process_count, k),
               "app flash driver");
    kernel_add_exit_hook(k, &c->driver.queue.exit_hook);
}

uint32_t storage_crc32_posix(const uint8_t *bytes, uint32_t len)
{
    uint32_t crc = 0;
    for (uint32_t i = 0; i < len; i++) {
        crc ^= (uint32_t)bytes[i] << 24;
        for (int bit = 0; bit < 8; bit++) {
            crc = (crc & 0x80000000u) != 0 ? (crc << 1) ^ 0x04C11DB7u : crc << 1;
        }
    }
    return ~crc;
}

err_t storage_isolated_permissions(void *kernel, struct process_id pid,
                                   struct storage_permissions *out)
{
    const struct process *p = kernel_process(kernel, pid);
    if (p == NULL) {
        return ERR_INVAL;
    }
    if (p->storage_permissions.is_present) {
        *out = p->storage_permissions;
    } else {
        *out = storage_permissions_self_only(
            storage_crc32_posix(p->package_name, p->package_name_len));
    }
    return ERR_OK;
}

void isolated_storage_component_setup(struct isolated_storage_component *c, struct kernel *k,
                                      struct mux_flash *mux,
                                      const struct isolated_storage_layout *layout,
                                      const struct cmd_queue_config *queue_config)
{
    boot_check(k->config.process_count <= ARRAY_LEN(c->entries) ? ERR_OK : ERR_SIZE,
               "isolated storage process count");
    virtual_flash_init(&c->data_flash, mux);
    virtual_flash_init(&c->dir_flash, mux);
    c->config = (struct isolated_storage_config){
        .first_page = layout->first_page,
        .region_count = layout->region_count,
        .region_pages = layout->region_pages,
        .spare_page = layout->spare_page,
        .has_journal = layout->has_journal,
        .journal_page = layout->journal_page,
        .permissions = storage_isolated_permissions,
        .ctx = k,
    };
    boot_check(isolated_storage_init(&c->driver, &c->data_flash.flash, &c->dir_flash.flash,
                                     &c->config, c->page, c->dir_page, sizeof c->page,
                                     queue_config, c->entries, k->config.process_count, k),
               "isolated storage");
    kernel_add_exit_hook(k, &c->driver.queue.exit_hook);
}
