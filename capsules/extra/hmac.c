/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * HMAC syscall driver (0x40003): libtock-c's HMAC protocol over the digest driver core,
 * keyed by read-only allow 0 each time a message opens.
 *
 * Usage: see capsules/hmac.h.
 *
 * Invariants: see digest_driver.c.
 */
#include "capsules/hmac.h"

#include "capsules/driver_num.h"
#include "container.h"

static struct syscall_return
hmac_command_result(struct syscall_driver *driver, uint32_t command_num, uint32_t arg0,
                    uint32_t arg1, struct process_id pid)
{
    struct digest_driver *d = CONTAINER_OF(driver, struct digest_driver, driver);
    (void)arg1;
    switch (command_num) {
    case HMAC_CMD_SET_ALGORITHM:
        return arg0 == DIGEST_DRIVER_ALGORITHM_SHA256 ? syscall_success()
                                                      : syscall_failure(ERR_NOSUPPORT);
    case DIGEST_DRIVER_CMD_RUN:
    case DIGEST_DRIVER_CMD_UPDATE:
    case DIGEST_DRIVER_CMD_FINISH:
    case DIGEST_DRIVER_CMD_VERIFY:
    case DIGEST_DRIVER_CMD_VERIFY_FINISH:
        return syscall_from_err(digest_driver_submit(d, pid, command_num));
    default:
        return syscall_failure(ERR_NOSUPPORT);
    }
}

static void hmac_command(struct syscall_driver *driver, uint32_t *regs, struct process_id pid)
{
    syscall_command_run(hmac_command_result, driver, regs, pid);
}

static const struct syscall_driver_ops hmac_driver_ops = { .command = hmac_command };

static const struct digest_driver_config hmac_config = {
    .driver_num = HMAC_DRIVER_NUM,
    .mode = HIL_DIGEST_HMAC_SHA256,
    .ops = &hmac_driver_ops,
    .allow_ro_data = HMAC_ALLOW_RO_DATA,
    .allow_rw_dest = HMAC_ALLOW_RW_DEST,
    .is_dest_exact = false,
    .upcalls = 2,
    .read_only = 3,
    .read_write = 3,
};

err_t hmac_driver_init(struct digest_driver *driver, struct hil_digest *digest,
                       struct hil_alarm *session_alarm, struct kernel *k,
                       const struct cmd_queue_config *queue_config,
                       struct cmd_queue_entry *entries, uint32_t entry_count)
{
    return digest_driver_init(driver, &hmac_config, digest, session_alarm, k, queue_config,
                              entries, entry_count);
}
