/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Nonvolatile storage syscall driver (see capsules/nonvolatile_storage.h): commands and the
 * command queue here; capsules/flash_transfer.c moves the bytes.
 *
 * Usage: see capsules/nonvolatile_storage.h.
 *
 * Invariants:
 *  - is_running iff the command queue has an operation running for `pid` (a transfer runs);
 *    cmd_queue_done is called exactly once when is_running goes false.
 *  - offset + length <= region bytes for every transfer started.
 */
#include "capsules/nonvolatile_storage.h"

#include "capsules/driver_num.h"
#include "container.h"

struct command_args {
    struct nonvolatile_storage *nvs;
    uint32_t command_num;
    uint32_t offset;
    uint32_t length;
    struct process_id pid;
};

struct finish_args {
    uint32_t subscribe_num;
    uint32_t length;
    err_t status;
};

static uint32_t min_u32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

static uint32_t allow_len(const struct grant_kernel_data *kd, bool is_write)
{
    size_t len = is_write ? grant_ro_len(kd, NONVOLATILE_STORAGE_ALLOW_RO_WRITE)
                          : grant_rw_len(kd, NONVOLATILE_STORAGE_ALLOW_RW_READ);
    return len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
}

static err_t schedule_done(void *data, struct grant_kernel_data *kd, void *ctx)
{
    const struct finish_args *args = ctx;
    (void)data;
    /* A full upcall queue drops the event (the kernel counts it), as in Tock. */
    err_t ignored = grant_schedule_upcall(kd, args->subscribe_num, args->length,
                                          (uint32_t)args->status, 0);
    (void)ignored;
    return ERR_OK;
}

static void transfer_done(struct flash_transfer_client *client, err_t status, uint32_t moved,
                          bool is_orphaned)
{
    struct nonvolatile_storage *nvs = CONTAINER_OF(client, struct nonvolatile_storage,
                                                   transfer_client);
    if (!is_orphaned) {
        struct finish_args args = {
            .subscribe_num = nvs->is_write ? NONVOLATILE_STORAGE_SUBSCRIBE_WRITE_DONE
                                           : NONVOLATILE_STORAGE_SUBSCRIBE_READ_DONE,
            .length = moved,
            .status = status,
        };
        /* ERR_INVAL: the process died after all; its upcall goes nowhere. */
        err_t ignored = grant_enter(&nvs->grant, nvs->pid, schedule_done, &args);
        (void)ignored;
    }
    nvs->is_running = false;
    cmd_queue_done(&nvs->queue);
}

/* ---------------------------------------------------------------- command queue */

static void queue_start(struct cmd_queue *queue, struct process_id pid,
                        const struct cmd_queue_command *command)
{
    struct nonvolatile_storage *nvs = CONTAINER_OF(queue, struct nonvolatile_storage, queue);
    nvs->pid = pid;
    nvs->is_write = command->command_num == NONVOLATILE_STORAGE_CMD_WRITE;
    nvs->is_running = true;
    /* offset and length were checked and clipped to the allow by the command */
    flash_transfer_start(&nvs->transfer, &nvs->grant, pid, nvs->is_write,
                         nvs->is_write ? NONVOLATILE_STORAGE_ALLOW_RO_WRITE
                                       : NONVOLATILE_STORAGE_ALLOW_RW_READ,
                         nvs->config->first_page, command->arg0, command->arg1);
}

static void queue_abort(struct cmd_queue *queue, struct process_id pid,
                        enum cmd_queue_abort_reason reason)
{
    struct nonvolatile_storage *nvs = CONTAINER_OF(queue, struct nonvolatile_storage, queue);
    (void)reason; /* no sessions: only EXITED happens */
    flash_transfer_orphan(&nvs->transfer, pid);
}

static const struct cmd_queue_ops nonvolatile_storage_queue_ops = {
    .start = queue_start,
    .abort = queue_abort,
};

/* ---------------------------------------------------------------- syscalls */

static err_t command_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    const struct command_args *args = ctx;
    struct nonvolatile_storage *nvs = args->nvs;
    (void)data;
    bool is_write = args->command_num == NONVOLATILE_STORAGE_CMD_WRITE;
    uint32_t available = allow_len(kd, is_write);
    if (available == 0) {
        return ERR_RESERVE;
    }
    struct cmd_queue_command command = {
        .command_num = args->command_num,
        .arg0 = args->offset,
        .arg1 = min_u32(args->length, available),
    };
    err_t err = cmd_queue_submit(&nvs->queue, args->pid, &command);
    return err == ERR_ALREADY ? ERR_BUSY : err;
}

static struct syscall_return
nonvolatile_storage_command_result(struct syscall_driver *driver, uint32_t command_num,
                                   uint32_t arg0, uint32_t arg1, struct process_id pid)
{
    struct nonvolatile_storage *nvs = CONTAINER_OF(driver, struct nonvolatile_storage, driver);
    switch (command_num) {
    case 0:
        return syscall_success();
    case NONVOLATILE_STORAGE_CMD_SIZE:
        return syscall_success_u32(nvs->region_bytes);
    case NONVOLATILE_STORAGE_CMD_READ:
    case NONVOLATILE_STORAGE_CMD_WRITE: {
        if (arg0 > nvs->region_bytes || arg1 > nvs->region_bytes - arg0) {
            return syscall_failure(ERR_INVAL);
        }
        struct command_args args = { .nvs = nvs, .command_num = command_num, .offset = arg0,
                                     .length = arg1, .pid = pid };
        err_t err = grant_enter(&nvs->grant, pid, command_in_grant, &args);
        return err == ERR_OK ? syscall_success() : syscall_failure(err);
    }
    default:
        return syscall_failure(ERR_NOSUPPORT);
    }
}

static void nonvolatile_storage_command(struct syscall_driver *driver, uint32_t *regs,
                                        struct process_id pid)
{
    syscall_command_run(nonvolatile_storage_command_result, driver, regs, pid);
}

static const struct syscall_driver_ops nonvolatile_storage_driver_ops = {
    .command = nonvolatile_storage_command,
};
static const struct flash_transfer_client_ops nonvolatile_storage_transfer_ops = {
    .done = transfer_done,
};

err_t nonvolatile_storage_init(struct nonvolatile_storage *nvs, struct hil_flash *flash,
                               const struct nonvolatile_storage_config *config,
                               uint8_t *page_buf, size_t page_buf_len,
                               const struct cmd_queue_config *queue_config,
                               struct cmd_queue_entry *entries, uint32_t entry_count,
                               struct kernel *k)
{
    struct hil_flash_geometry geometry = hil_flash_geometry(flash);
    if (page_buf == NULL || page_buf_len != geometry.page_size) {
        return ERR_SIZE;
    }
    if (!flash_transfer_layout_ok(&geometry, config->first_page, config->page_count,
                                  config->spare_page)) {
        return ERR_INVAL;
    }
    if (config->has_journal &&
        !flash_transfer_journal_ok(&geometry, config->first_page, config->page_count,
                                   config->spare_page, config->journal_page)) {
        return ERR_INVAL;
    }
    *nvs = (struct nonvolatile_storage){
        .driver = { .ops = &nonvolatile_storage_driver_ops, .grant = &nvs->grant,
                    .shares_read_write = false },
        .transfer_client = { .ops = &nonvolatile_storage_transfer_ops },
        .config = config,
        .region_bytes = config->page_count * geometry.page_size,
    };
    err_t err = flash_transfer_init(&nvs->transfer, flash, page_buf, page_buf_len,
                                    config->spare_page, &nvs->transfer_client);
    if (err != ERR_OK) {
        return err;
    }
    if (config->has_journal) {
        flash_transfer_set_journal(&nvs->transfer, config->journal_page);
    }
    err = cmd_queue_init(&nvs->queue, &nonvolatile_storage_queue_ops, queue_config, entries,
                         entry_count);
    if (err != ERR_OK) {
        return err;
    }
    static const struct grant_config grant_config = {
        .driver_num = NVM_STORAGE_DRIVER_NUM,
        .data_size = 0,
        .data_align = 4,
        .upcalls = 2,
        /* Every subscribe is a queued request's completion: latched (record 030), so a
         * process that floods its own upcall ring cannot lose it. */
        .latched_upcalls = 0x3u,
        .read_only = 1,
        .read_write = 1,
        .userspace_readable = 0,
    };
    return grant_create(&nvs->grant, k, &grant_config);
}
