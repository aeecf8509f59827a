/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * App flash driver (see capsules/app_flash_driver.h).
 *
 * The command queue runs one write at a time; the flash transfer moves its bytes page by page
 * (read, merge, program, erasing first if a bit must go from 0 to 1) and reports once at its end.
 *
 * Usage: see capsules/app_flash_driver.h.
 *
 * Invariants:
 *  - The transfer runs iff the command queue has a write running; cmd_queue_done is called
 *    exactly once, when the transfer reports done.
 *  - [offset, offset + length) was inside one of the process's writeable regions and inside
 *    the device when the command was accepted.
 *  - After an erase, the merged page is programmed even if the process died (the transfer
 *    stops only between pages).
 */
#include "capsules/app_flash_driver.h"

#include "capsules/driver_num.h"
#include "container.h"

struct command_args {
    struct app_flash_driver *drv;
    uint32_t address;
    struct process_id pid;
};

static err_t schedule_done(void *data, struct grant_kernel_data *kd, void *ctx)
{
    const err_t *status = ctx;
    (void)data;
    /* A full upcall queue drops the event (the kernel counts it), as in Tock. */
    err_t ignored = grant_schedule_upcall(kd, APP_FLASH_DRIVER_SUBSCRIBE_DONE, (uint32_t)*status,
                                          0, 0);
    (void)ignored;
    return ERR_OK;
}

/* The write is over (flash_transfer_client_ops.done): upcall unless the process died. */
static void transfer_done(struct flash_transfer_client *client, err_t status, uint32_t moved,
                          bool is_orphaned)
{
    struct app_flash_driver *drv = CONTAINER_OF(client, struct app_flash_driver,
                                                transfer_client);
    (void)moved;
    if (!is_orphaned) {
        /* ERR_INVAL: the process died after all; its upcall goes nowhere. */
        err_t ignored = grant_enter(&drv->grant, drv->transfer.pid, schedule_done, &status);
        (void)ignored;
    }
    cmd_queue_done(&drv->queue);
}

/* ---------------------------------------------------------------- command queue */

static void queue_start(struct cmd_queue *queue, struct process_id pid,
                        const struct cmd_queue_command *command)
{
    struct app_flash_driver *drv = CONTAINER_OF(queue, struct app_flash_driver, queue);
    /* [arg0, arg0 + arg1) checked by the command; the whole device is the region. */
    flash_transfer_start(&drv->transfer, &drv->grant, pid, true,
                         APP_FLASH_DRIVER_ALLOW_RO_BUFFER, 0, command->arg0, command->arg1);
}

static void queue_abort(struct cmd_queue *queue, struct process_id pid,
                        enum cmd_queue_abort_reason reason)
{
    struct app_flash_driver *drv = CONTAINER_OF(queue, struct app_flash_driver, queue);
    (void)reason; /* no sessions: only EXITED happens */
    flash_transfer_orphan(&drv->transfer, pid); /* the flash completion in flight ends it */
}

static const struct cmd_queue_ops app_flash_driver_queue_ops = {
    .start = queue_start,
    .abort = queue_abort,
};

/* ---------------------------------------------------------------- syscalls */

static err_t command_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    const struct command_args *args = ctx;
    struct app_flash_driver *drv = args->drv;
    (void)data;
    size_t len = grant_ro_len(kd, APP_FLASH_DRIVER_ALLOW_RO_BUFFER);
    if (len == 0) {
        return ERR_RESERVE;
    }
    const struct hil_flash_geometry *geometry = &drv->transfer.geometry;
    uint32_t device_bytes = geometry->page_size * geometry->page_count;
    uintptr_t address = args->address;
    if (len > UINT32_MAX || address < drv->config->base ||
        address - drv->config->base > device_bytes ||
        (uint32_t)len > device_bytes - (uint32_t)(address - drv->config->base) ||
        !drv->config->is_writeable(drv->config->ctx, args->pid, address, (uint32_t)len)) {
        return ERR_INVAL;
    }
    struct cmd_queue_command command = {
        .command_num = APP_FLASH_DRIVER_CMD_WRITE,
        .arg0 = (uint32_t)(address - drv->config->base),
        .arg1 = (uint32_t)len,
    };
    err_t err = cmd_queue_submit(&drv->queue, args->pid, &command);
    return err == ERR_ALREADY ? ERR_NOMEM : err;
}

static struct syscall_return
app_flash_driver_command_result(struct syscall_driver *driver, uint32_t command_num, uint32_t arg0,
                                uint32_t arg1, struct process_id pid)
{
    struct app_flash_driver *drv = CONTAINER_OF(driver, struct app_flash_driver, driver);
    (void)arg1;
    if (command_num == 0) {
        return syscall_success();
    }
    if (command_num != APP_FLASH_DRIVER_CMD_WRITE) {
        return syscall_failure(ERR_NOSUPPORT);
    }
    struct command_args args = { .drv = drv, .address = arg0, .pid = pid };
    err_t err = grant_enter(&drv->grant, pid, command_in_grant, &args);
    return err == ERR_OK ? syscall_success() : syscall_failure(err);
}

static void app_flash_driver_command(struct syscall_driver *driver, uint32_t *regs,
                                     struct process_id pid)
{
    syscall_command_run(app_flash_driver_command_result, driver, regs, pid);
}

static const struct syscall_driver_ops app_flash_driver_ops = {
    .command = app_flash_driver_command,
};
static const struct flash_transfer_client_ops app_flash_driver_transfer_ops = {
    .done = transfer_done,
};

err_t app_flash_driver_init(struct app_flash_driver *drv, struct hil_flash *flash,
                            const struct app_flash_driver_config *config, uint8_t *page_buf,
                            size_t page_buf_len, const struct cmd_queue_config *queue_config,
                            struct cmd_queue_entry *entries, uint32_t entry_count,
                            struct kernel *k)
{
    struct hil_flash_geometry geometry = hil_flash_geometry(flash);
    if (page_buf == NULL || page_buf_len != geometry.page_size) {
        return ERR_SIZE;
    }
    if (geometry.erase_pages != 1 ||
        (uint64_t)geometry.page_size * geometry.page_count > UINT32_MAX) {
        return ERR_INVAL;
    }
    *drv = (struct app_flash_driver){
        .driver = { .ops = &app_flash_driver_ops, .grant = &drv->grant,
                    .shares_read_write = false },
        .config = config,
        .transfer_client = { .ops = &app_flash_driver_transfer_ops },
    };
    /* One-page erase units: the transfer never needs a spare unit. */
    err_t err = flash_transfer_init(&drv->transfer, flash, page_buf, page_buf_len, 0,
                                    &drv->transfer_client);
    if (err != ERR_OK) {
        return err;
    }
    err = cmd_queue_init(&drv->queue, &app_flash_driver_queue_ops, queue_config, entries,
                         entry_count);
    if (err != ERR_OK) {
        return err;
    }
    static const struct grant_config grant_config = {
        .driver_num = APP_FLASH_DRIVER_NUM,
        .data_size = 0,
        .data_align = 4,
        .upcalls = 1,
        /* Every subscribe is a queued request's completion: latched (record 030), so a
         * process that floods its own upcall ring cannot lose it. */
        .latched_upcalls = 0x1u,
        .read_only = 1,
        .read_write = 0,
        .userspace_readable = 0,
    };
    return grant_create(&drv->grant, k, &grant_config);
}
