/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * HMAC syscall driver (0x40003): the digest driver core configured for HMAC-SHA256, keyed by
 * read-only allow 0 each time a message opens.
 *
 * Usage: see capsules/hmac.h.
 *
 * Invariants: see digest_driver.c.
 */
#include "capsules/hmac.h"

#include "capsules/driver_num.h"

static const struct digest_driver_config hmac_config = {
    .driver_num = HMAC_DRIVER_NUM,
    .mode = HIL_DIGEST_HMAC_SHA256,
};

err_t hmac_driver_init(struct digest_driver *driver, struct hil_digest *digest,
                       struct hil_alarm *session_alarm, struct kernel *k,
                       const struct cmd_queue_config *queue_config,
                       struct cmd_queue_entry *entries, uint32_t entry_count)
{
    return digest_driver_init(driver, &hmac_config, digest, session_alarm, k, queue_config,
                              entries, entry_count);
}
