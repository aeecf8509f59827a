/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Sealed store wiring shared by the boards (see components/sealed_store.h).
 *
 * Usage: see components/sealed_store.h.
 *
 * Invariants: the store is the only client of its virtual flash device, AES unit and virtual
 * digest; the driver is the store's only client.
 */
#include "components/sealed_store.h"

#include "components/core.h"
#include "container.h"

/* Demo keys: public by construction (they are in the image). See components/sealed_store.h. */
static const struct sealed_store_keys demo_keys = {
    .encrypt = { 0x74, 0x6f, 0x63, 0x6b, 0x63, 0x20, 0x73, 0x65, 0x61, 0x6c, 0x20, 0x64, 0x65,
                 0x6d, 0x6f, 0x31 },
    .mac = { 0x74, 0x6f, 0x63, 0x6b, 0x63, 0x20, 0x73, 0x65, 0x61, 0x6c, 0x20, 0x6d, 0x61,
             0x63, 0x20, 0x64, 0x65, 0x6d, 0x6f, 0x20, 0x6b, 0x65, 0x79, 0x20, 0x6e, 0x6f,
             0x74, 0x20, 0x73, 0x65, 0x63, 0x72 },
};

void sealed_store_component_setup(struct sealed_store_component *c, struct kernel *k,
                                  struct crypto_component *crypto, struct mux_flash *flash_mux,
                                  const struct sealed_store_region *region,
                                  const struct cmd_queue_config *queue_config)
{
    boot_check(k->config.process_count <= ARRAY_LEN(c->entries) ? ERR_OK : ERR_SIZE,
               "sealed store process count");
    virtual_flash_init(&c->flash, flash_mux);
    crypto_engine_aes_init(&c->aes_unit, &crypto->engine);
    virtual_digest_init(&c->mac, &crypto->digest_mux);
    boot_check(sealed_store_init(&c->store, &c->aes_unit.aes, &c->mac.digest, &c->flash.flash,
                                 &demo_keys, region, c->page, sizeof c->page),
               "sealed store");
    c->driver_config = (struct sealed_store_driver_config){
        .permissions = storage_process_permissions, .ctx = k };
    boot_check(sealed_store_driver_init(&c->driver, &c->store, &c->driver_config, c->record,
                                        sizeof c->record, queue_config, c->entries,
                                        k->config.process_count, k),
               "sealed store driver");
    kernel_add_exit_hook(k, &c->driver.queue.exit_hook);
}
