/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * SHA syscall driver (0x40005): the digest driver core configured for unkeyed SHA-256.
 *
 * Usage: see capsules/sha.h.
 *
 * Invariants: see digest_driver.c.
 */
#include "capsules/sha.h"

#include "capsules/driver_num.h"

static const struct digest_driver_config sha_config = {
    .driver_num = SHA_DRIVER_NUM,
    .mode = HIL_DIGEST_SHA256,
};

err_t sha_driver_init(struct digest_driver *driver, struct hil_digest *digest,
                      struct hil_alarm *session_alarm, struct kernel *k,
                      const struct cmd_queue_config *queue_config,
                      struct cmd_queue_entry *entries, uint32_t entry_count)
{
    return digest_driver_init(driver, &sha_config, digest, session_alarm, k, queue_config,
                              entries, entry_count);
}
