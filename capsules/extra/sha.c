/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * SHA syscall driver (0x40005): Tock's current SHA protocol over the digest driver core.
 *
 * The protocol (capsules/sha.h) has one operation, hash, which is the core's RUN on read-only
 * allow 0 into read-write allow 0; set algorithm accepts SHA-256 only and changes nothing.
 *
 * Usage: see capsules/sha.h.
 *
 * Invariants: see digest_driver.c.
 */
#include "capsules/sha.h"

#include "capsules/driver_num.h"
#include "container.h"

static struct syscall_return
sha_command_result(struct syscall_driver *driver, uint32_t command_num, uint32_t arg0,
                   uint32_t arg1, struct process_id pid)
{
    struct digest_driver *d = CONTAINER_OF(driver, struct digest_driver, driver);
    (void)arg1;
    switch (command_num) {
    case SHA_CMD_EXISTS:
        return syscall_success();
    case SHA_CMD_SET_ALGORITHM:
        return arg0 == SHA_ALGORITHM_SHA256 ? syscall_success() : syscall_failure(ERR_NOSUPPORT);
    case SHA_CMD_HASH: {
        err_t err = digest_driver_submit(d, pid, DIGEST_DRIVER_CMD_RUN);
        /* Tock answers a second request before the first's upcall with NOMEM (no room). */
        return syscall_from_err(err == ERR_ALREADY ? ERR_NOMEM : err);
    }
    default:
        return syscall_failure(ERR_NOSUPPORT);
    }
}

static void sha_command(struct syscall_driver *driver, uint32_t *regs, struct process_id pid)
{
    syscall_command_run(sha_command_result, driver, regs, pid);
}

static const struct syscall_driver_ops sha_driver_ops = { .command = sha_command };

static const struct digest_driver_config sha_config = {
    .driver_num = SHA_DRIVER_NUM,
    .mode = HIL_DIGEST_SHA256,
    .ops = &sha_driver_ops,
    .allow_ro_data = SHA_ALLOW_RO_DATA,
    .allow_rw_dest = SHA_ALLOW_RW_DEST,
    .is_dest_exact = true,
    .upcalls = 1,
    .read_only = 1,
    .read_write = 1,
};

err_t sha_driver_init(struct digest_driver *driver, struct hil_digest *digest,
                      struct hil_alarm *session_alarm, struct kernel *k,
                      const struct cmd_queue_config *queue_config,
                      struct cmd_queue_entry *entries, uint32_t entry_count)
{
    return digest_driver_init(driver, &sha_config, digest, session_alarm, k, queue_config,
                              entries, entry_count);
}
