/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * App flash driver (see capsules/app_flash_driver.h).
 *
 * A write moves its bytes one segment (the part in one flash page) at a time: read the page,
 * merge the process's bytes into it, then program it, erasing it first if a bit must go from 0
 * to 1. Every flash completion advances `step`; nothing here waits.
 *
 * Usage: see capsules/app_flash_driver.h.
 *
 * Invariants:
 *  - step != IDLE iff the command queue has a write running for `pid`; cmd_queue_done is
 *    called exactly once when step returns to IDLE.
 *  - page_buf == NULL iff a page read or program is outstanding.
 *  - [offset, offset + length) was inside one of pid's writeable regions and inside the device
 *    when the command was accepted; 0 <= done <= length.
 *  - After an erase, the merged page is programmed even if the process died (ERASE -> PROGRAM).
 */
#include "capsules/app_flash_driver.h"

#include "capsules/driver_num.h"
#include "container.h"

#define MERGE_CHUNK 32u

struct command_args {
    struct app_flash_driver *drv;
    uint32_t address;
    struct process_id pid;
};

struct merge_result {
    bool is_changed;
    bool needs_erase;
    size_t allow_len;
};

struct merge_args {
    struct app_flash_driver *drv;
    struct merge_result result;
};

static uint32_t min_u32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

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

static void stop(struct app_flash_driver *drv)
{
    drv->step = APP_FLASH_DRIVER_IDLE;
    cmd_queue_done(&drv->queue);
}

static void finish(struct app_flash_driver *drv, err_t status)
{
    if (!drv->is_orphaned) {
        /* ERR_INVAL: the process died after all; its upcall goes nowhere. */
        err_t ignored = grant_enter(&drv->grant, drv->pid, schedule_done, &status);
        (void)ignored;
    }
    stop(drv);
}

static void issue(struct app_flash_driver *drv, enum app_flash_driver_step step)
{
    err_t err;
    drv->step = step;
    uint32_t page_size = drv->geometry.page_size;
    if (step == APP_FLASH_DRIVER_READ) {
        err = hil_flash_read_page(drv->flash, drv->segment_page, drv->page_buf, page_size);
    } else if (step == APP_FLASH_DRIVER_ERASE) {
        err = hil_flash_erase_page(drv->flash, drv->segment_page);
    } else {
        err = hil_flash_write_page(drv->flash, drv->segment_page, drv->page_buf, page_size);
    }
    if (err != ERR_OK) {
        finish(drv, err); /* the device refuses only misuse */
        return;
    }
    if (step != APP_FLASH_DRIVER_ERASE) {
        drv->page_buf = NULL;
    }
}

static void next_segment(struct app_flash_driver *drv)
{
    if (drv->is_orphaned) {
        stop(drv);
        return;
    }
    if (drv->done == drv->length) {
        finish(drv, ERR_OK);
        return;
    }
    uint32_t page_size = drv->geometry.page_size;
    uint32_t at = drv->offset + drv->done;
    drv->segment_page = at / page_size;
    drv->segment_offset = at % page_size;
    drv->segment_len = min_u32(page_size - drv->segment_offset, drv->length - drv->done);
    issue(drv, APP_FLASH_DRIVER_READ);
}

static err_t merge_from_process(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct merge_args *args = ctx;
    struct app_flash_driver *drv = args->drv;
    (void)data;
    args->result.allow_len = grant_ro_len(kd, APP_FLASH_DRIVER_ALLOW_RO_BUFFER);
    uint8_t *page = drv->page_buf + drv->segment_offset;
    for (uint32_t at = 0; at < drv->segment_len; at += MERGE_CHUNK) {
        uint8_t chunk[MERGE_CHUNK];
        uint32_t n = min_u32(MERGE_CHUNK, drv->segment_len - at);
        err_t err = grant_ro_read(kd, APP_FLASH_DRIVER_ALLOW_RO_BUFFER, drv->done + at, chunk, n);
        if (err != ERR_OK) {
            return err; /* the allow shrank: nothing of this segment is written */
        }
        for (uint32_t i = 0; i < n; i++) {
            uint8_t old = page[at + i];
            args->result.is_changed |= old != chunk[i];
            args->result.needs_erase |= (old & chunk[i]) != chunk[i];
            page[at + i] = chunk[i];
        }
    }
    return ERR_OK;
}

static void segment_read(struct app_flash_driver *drv)
{
    struct merge_args args = { .drv = drv, .result = { false, false, 0 } };
    err_t err = grant_enter(&drv->grant, drv->pid, merge_from_process, &args);
    if (err == ERR_INVAL) {
        stop(drv); /* the process died: nothing of this segment was written */
        return;
    }
    if (err != ERR_OK) {
        finish(drv, args.result.allow_len == 0 ? ERR_RESERVE : err);
        return;
    }
    if (!args.result.is_changed) {
        drv->done += drv->segment_len;
        next_segment(drv);
    } else if (args.result.needs_erase) {
        issue(drv, APP_FLASH_DRIVER_ERASE);
    } else {
        issue(drv, APP_FLASH_DRIVER_PROGRAM);
    }
}

static void flash_read_done(struct hil_flash_client *client, uint8_t *buf, size_t len,
                            err_t status)
{
    struct app_flash_driver *drv = CONTAINER_OF(client, struct app_flash_driver, flash_client);
    (void)len;
    drv->page_buf = buf;
    if (status != ERR_OK) {
        finish(drv, status);
        return;
    }
    if (drv->is_orphaned) {
        stop(drv);
        return;
    }
    segment_read(drv);
}

static void flash_write_done(struct hil_flash_client *client, uint8_t *buf, size_t len,
                             err_t status)
{
    struct app_flash_driver *drv = CONTAINER_OF(client, struct app_flash_driver, flash_client);
    (void)len;
    drv->page_buf = buf;
    if (status != ERR_OK) {
        finish(drv, status);
        return;
    }
    drv->done += drv->segment_len;
    next_segment(drv);
}

static void flash_erase_done(struct hil_flash_client *client, err_t status)
{
    struct app_flash_driver *drv = CONTAINER_OF(client, struct app_flash_driver, flash_client);
    if (status != ERR_OK) {
        finish(drv, status);
        return;
    }
    issue(drv, APP_FLASH_DRIVER_PROGRAM); /* page_buf holds the merged page */
}

/* ---------------------------------------------------------------- command queue */

static void queue_start(struct cmd_queue *queue, struct process_id pid,
                        const struct cmd_queue_command *command)
{
    struct app_flash_driver *drv = CONTAINER_OF(queue, struct app_flash_driver, queue);
    drv->pid = pid;
    drv->is_orphaned = false;
    drv->offset = command->arg0; /* checked by the command */
    drv->length = command->arg1;
    drv->done = 0;
    drv->step = APP_FLASH_DRIVER_READ;
    next_segment(drv);
}

static void queue_abort(struct cmd_queue *queue, struct process_id pid,
                        enum cmd_queue_abort_reason reason)
{
    struct app_flash_driver *drv = CONTAINER_OF(queue, struct app_flash_driver, queue);
    (void)reason; /* no sessions: only EXITED happens */
    if (drv->step != APP_FLASH_DRIVER_IDLE && process_id_equal(drv->pid, pid)) {
        drv->is_orphaned = true; /* the flash completion in flight ends it */
    }
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
    uint32_t device_bytes = drv->geometry.page_size * drv->geometry.page_count;
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

static struct syscall_return app_flash_driver_command(struct syscall_driver *driver,
                                                      uint32_t command_num, uint32_t arg0,
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

static const struct syscall_driver_ops app_flash_driver_ops = {
    .command = app_flash_driver_command,
};
static const struct hil_flash_client_ops app_flash_driver_flash_ops = {
    .read_done = flash_read_done,
    .write_done = flash_write_done,
    .erase_done = flash_erase_done,
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
        .flash_client = { .ops = &app_flash_driver_flash_ops },
        .flash = flash,
        .geometry = geometry,
        .config = config,
        .page_buf = page_buf,
        .step = APP_FLASH_DRIVER_IDLE,
    };
    hil_flash_set_client(flash, &drv->flash_client);
    err_t err = cmd_queue_init(&drv->queue, &app_flash_driver_queue_ops, queue_config, entries,
                               entry_count);
    if (err != ERR_OK) {
        return err;
    }
    static const struct grant_config grant_config = {
        .driver_num = APP_FLASH_DRIVER_NUM,
        .data_size = 0,
        .data_align = 4,
        .upcalls = 1,
        .read_only = 1,
        .read_write = 0,
        .userspace_readable = 0,
    };
    return grant_create(&drv->grant, k, &grant_config);
}
