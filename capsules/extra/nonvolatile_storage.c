/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Nonvolatile storage syscall driver (see capsules/nonvolatile_storage.h).
 *
 * An operation moves its bytes one *segment* at a time: the part of it that falls in one flash
 * page. A read segment is a page read, copied out to the process's allow. A write segment reads
 * the page, merges the process's bytes into it (noting whether any bit must go from 0 to 1),
 * and then programs the page in place, or erases the unit and programs it (one-page units), or
 * rewrites the unit through the spare unit. Every flash completion advances `step`; nothing
 * here waits.
 *
 * Usage: see capsules/nonvolatile_storage.h.
 *
 * Invariants:
 *  - step != IDLE iff the command queue has an operation running for `pid`; cmd_queue_done is
 *    called exactly once when step returns to IDLE.
 *  - page_buf == NULL iff a read or write of the flash that lent it is outstanding.
 *  - During a write segment's rewrite (steps COPY_* and WRITE_ERASE), page_buf or the spare
 *    unit holds the merged page, and the segment is finished even if the process dies, so the
 *    unit never stays erased.
 *  - 0 <= done <= length, and offset + length <= region bytes.
 */
#include "capsules/nonvolatile_storage.h"

#include "capsules/driver_num.h"
#include "container.h"

/* Bytes compared and merged at a time, through the stack, while merging a write segment. */
#define MERGE_CHUNK 32u

struct command_args {
    struct nonvolatile_storage *nvs;
    uint32_t command_num;
    uint32_t offset;
    uint32_t length;
    struct process_id pid;
};

/* The outcome of merging a write segment into the page buffer. */
struct merge_result {
    bool is_changed;     /* some byte differs */
    bool needs_erase;    /* some bit must go from 0 to 1 */
    uint32_t allow_len;  /* the allow's length when merging */
};

struct merge_args {
    struct nonvolatile_storage *nvs;
    struct merge_result result;
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

static uint32_t region_bytes(const struct nonvolatile_storage *nvs)
{
    return nvs->config->page_count * nvs->geometry.page_size;
}

static uint32_t allow_len(const struct grant_kernel_data *kd, bool is_write)
{
    size_t len = is_write ? grant_ro_len(kd, NONVOLATILE_STORAGE_ALLOW_RO_WRITE)
                          : grant_rw_len(kd, NONVOLATILE_STORAGE_ALLOW_RW_READ);
    return len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
}

/* ---------------------------------------------------------------- ending an operation */

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

static void stop(struct nonvolatile_storage *nvs)
{
    nvs->step = NONVOLATILE_STORAGE_IDLE;
    cmd_queue_done(&nvs->queue);
}

static void finish(struct nonvolatile_storage *nvs, err_t status)
{
    struct finish_args args = {
        .subscribe_num = nvs->is_write ? NONVOLATILE_STORAGE_SUBSCRIBE_WRITE_DONE
                                       : NONVOLATILE_STORAGE_SUBSCRIBE_READ_DONE,
        .length = nvs->done,
        .status = status,
    };
    if (!nvs->is_orphaned) {
        /* ERR_INVAL: the process died after all; its upcall goes nowhere. */
        err_t ignored = grant_enter(&nvs->grant, nvs->pid, schedule_done, &args);
        (void)ignored;
    }
    stop(nvs);
}

/* ---------------------------------------------------------------- flash steps */

static uint32_t unit_first_page(const struct nonvolatile_storage *nvs)
{
    return nvs->segment_page - nvs->segment_page % nvs->geometry.erase_pages;
}

/* Lend page_buf to the flash for `page` (read or write), or erase the unit at `page`. A
 * refusal ends the operation: the virtual flash device refuses only misuse. */
static void issue(struct nonvolatile_storage *nvs, enum nonvolatile_storage_step step,
                  uint32_t page)
{
    err_t err;
    nvs->step = step;
    switch (step) {
    case NONVOLATILE_STORAGE_READ:
    case NONVOLATILE_STORAGE_WRITE_READ:
    case NONVOLATILE_STORAGE_COPY_READ_OUT:
    case NONVOLATILE_STORAGE_COPY_READ_BACK:
        err = hil_flash_read_page(nvs->flash, page, nvs->page_buf, nvs->geometry.page_size);
        break;
    case NONVOLATILE_STORAGE_WRITE_ERASE:
    case NONVOLATILE_STORAGE_COPY_ERASE_SPARE:
    case NONVOLATILE_STORAGE_COPY_ERASE_UNIT:
        err = hil_flash_erase_page(nvs->flash, page);
        break;
    case NONVOLATILE_STORAGE_WRITE_PROGRAM:
    case NONVOLATILE_STORAGE_COPY_PROGRAM_MERGED:
    case NONVOLATILE_STORAGE_COPY_WRITE_OUT:
    case NONVOLATILE_STORAGE_COPY_WRITE_BACK:
    case NONVOLATILE_STORAGE_IDLE:
    default:
        err = hil_flash_write_page(nvs->flash, page, nvs->page_buf, nvs->geometry.page_size);
        break;
    }
    if (err != ERR_OK) {
        finish(nvs, err);
        return;
    }
    if (step != NONVOLATILE_STORAGE_WRITE_ERASE && step != NONVOLATILE_STORAGE_COPY_ERASE_SPARE &&
        step != NONVOLATILE_STORAGE_COPY_ERASE_UNIT) {
        nvs->page_buf = NULL;
    }
}

/* The next segment, or the end of the operation. */
static void next_segment(struct nonvolatile_storage *nvs)
{
    if (nvs->is_orphaned) {
        stop(nvs);
        return;
    }
    if (nvs->done == nvs->length) {
        finish(nvs, ERR_OK);
        return;
    }
    uint32_t page_size = nvs->geometry.page_size;
    uint32_t at = nvs->offset + nvs->done;
    nvs->segment_page = nvs->config->first_page + at / page_size;
    nvs->segment_offset = at % page_size;
    nvs->segment_len = min_u32(page_size - nvs->segment_offset, nvs->length - nvs->done);
    issue(nvs, nvs->is_write ? NONVOLATILE_STORAGE_WRITE_READ : NONVOLATILE_STORAGE_READ,
          nvs->segment_page);
}

static void segment_done(struct nonvolatile_storage *nvs)
{
    nvs->done += nvs->segment_len;
    next_segment(nvs);
}

static bool is_blank(const uint8_t *page, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        if (page[i] != 0xFF) {
            return false;
        }
    }
    return true;
}

/* Rewrite: copy the unit's pages other than the merged one into the spare unit. */
static void copy_out_next(struct nonvolatile_storage *nvs)
{
    uint32_t merged_index = nvs->segment_page % nvs->geometry.erase_pages;
    if (nvs->copy_index == merged_index) {
        nvs->copy_index++;
    }
    if (nvs->copy_index == nvs->geometry.erase_pages) {
        issue(nvs, NONVOLATILE_STORAGE_COPY_ERASE_UNIT, unit_first_page(nvs));
        return;
    }
    issue(nvs, NONVOLATILE_STORAGE_COPY_READ_OUT, unit_first_page(nvs) + nvs->copy_index);
}

/* Rewrite: copy the spare unit back into the erased unit. */
static void copy_back_next(struct nonvolatile_storage *nvs)
{
    if (nvs->copy_index == nvs->geometry.erase_pages) {
        segment_done(nvs);
        return;
    }
    issue(nvs, NONVOLATILE_STORAGE_COPY_READ_BACK, nvs->config->spare_page + nvs->copy_index);
}

/* ---------------------------------------------------------------- segments */

static err_t copy_to_process(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct nonvolatile_storage *nvs = ctx;
    (void)data;
    if (allow_len(kd, false) == 0) {
        return ERR_RESERVE; /* the allow was withdrawn */
    }
    return grant_rw_write(kd, NONVOLATILE_STORAGE_ALLOW_RW_READ, nvs->done,
                          nvs->page_buf + nvs->segment_offset, nvs->segment_len);
}

static err_t merge_from_process(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct merge_args *args = ctx;
    struct nonvolatile_storage *nvs = args->nvs;
    (void)data;
    args->result.allow_len = allow_len(kd, true);
    uint8_t *page = nvs->page_buf + nvs->segment_offset;
    for (uint32_t at = 0; at < nvs->segment_len; at += MERGE_CHUNK) {
        uint8_t chunk[MERGE_CHUNK];
        uint32_t n = min_u32(MERGE_CHUNK, nvs->segment_len - at);
        err_t err = grant_ro_read(kd, NONVOLATILE_STORAGE_ALLOW_RO_WRITE, nvs->done + at, chunk, n);
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

static void read_segment_done(struct nonvolatile_storage *nvs)
{
    err_t err = grant_enter(&nvs->grant, nvs->pid, copy_to_process, nvs);
    if (err == ERR_INVAL) {
        stop(nvs); /* the process died */
        return;
    }
    if (err != ERR_OK) {
        finish(nvs, err);
        return;
    }
    segment_done(nvs);
}

/* The target page is in page_buf: merge the process's bytes and choose how to store them. */
static void write_segment_read(struct nonvolatile_storage *nvs)
{
    struct merge_args args = { .nvs = nvs, .result = { false, false, 0 } };
    err_t err = grant_enter(&nvs->grant, nvs->pid, merge_from_process, &args);
    if (err == ERR_INVAL) {
        stop(nvs); /* the process died: nothing of this segment was written */
        return;
    }
    if (err != ERR_OK) {
        finish(nvs, args.result.allow_len == 0 ? ERR_RESERVE : err);
        return;
    }
    if (!args.result.is_changed) {
        segment_done(nvs);
    } else if (!args.result.needs_erase) {
        issue(nvs, NONVOLATILE_STORAGE_WRITE_PROGRAM, nvs->segment_page);
    } else if (nvs->geometry.erase_pages == 1) {
        issue(nvs, NONVOLATILE_STORAGE_WRITE_ERASE, nvs->segment_page);
    } else {
        issue(nvs, NONVOLATILE_STORAGE_COPY_ERASE_SPARE, nvs->config->spare_page);
    }
}

/* ---------------------------------------------------------------- flash callbacks */

static void flash_read_done(struct hil_flash_client *client, uint8_t *buf, size_t len,
                            err_t status)
{
    struct nonvolatile_storage *nvs = CONTAINER_OF(client, struct nonvolatile_storage,
                                                   flash_client);
    (void)len;
    nvs->page_buf = buf;
    if (status != ERR_OK) {
        finish(nvs, status);
        return;
    }
    switch (nvs->step) {
    case NONVOLATILE_STORAGE_READ:
        read_segment_done(nvs);
        break;
    case NONVOLATILE_STORAGE_WRITE_READ:
        if (nvs->is_orphaned) {
            stop(nvs);
        } else {
            write_segment_read(nvs);
        }
        break;
    case NONVOLATILE_STORAGE_COPY_READ_OUT:
        if (is_blank(buf, nvs->geometry.page_size)) {
            nvs->copy_index++; /* the spare is already blank there */
            copy_out_next(nvs);
        } else {
            issue(nvs, NONVOLATILE_STORAGE_COPY_WRITE_OUT,
                  nvs->config->spare_page + nvs->copy_index);
        }
        break;
    case NONVOLATILE_STORAGE_COPY_READ_BACK:
        if (is_blank(buf, nvs->geometry.page_size)) {
            nvs->copy_index++;
            copy_back_next(nvs);
        } else {
            issue(nvs, NONVOLATILE_STORAGE_COPY_WRITE_BACK, unit_first_page(nvs) + nvs->copy_index);
        }
        break;
    default:
        break;
    }
}

static void flash_write_done(struct hil_flash_client *client, uint8_t *buf, size_t len,
                             err_t status)
{
    struct nonvolatile_storage *nvs = CONTAINER_OF(client, struct nonvolatile_storage,
                                                   flash_client);
    (void)len;
    nvs->page_buf = buf;
    if (status != ERR_OK) {
        finish(nvs, status);
        return;
    }
    switch (nvs->step) {
    case NONVOLATILE_STORAGE_WRITE_PROGRAM:
        segment_done(nvs);
        break;
    case NONVOLATILE_STORAGE_COPY_PROGRAM_MERGED:
        nvs->copy_index = 0;
        copy_out_next(nvs);
        break;
    case NONVOLATILE_STORAGE_COPY_WRITE_OUT:
        nvs->copy_index++;
        copy_out_next(nvs);
        break;
    case NONVOLATILE_STORAGE_COPY_WRITE_BACK:
        nvs->copy_index++;
        copy_back_next(nvs);
        break;
    default:
        break;
    }
}

static void flash_erase_done(struct hil_flash_client *client, err_t status)
{
    struct nonvolatile_storage *nvs = CONTAINER_OF(client, struct nonvolatile_storage,
                                                   flash_client);
    if (status != ERR_OK) {
        finish(nvs, status);
        return;
    }
    switch (nvs->step) {
    case NONVOLATILE_STORAGE_WRITE_ERASE:
        issue(nvs, NONVOLATILE_STORAGE_WRITE_PROGRAM, nvs->segment_page); /* page_buf: merged */
        break;
    case NONVOLATILE_STORAGE_COPY_ERASE_SPARE:
        issue(nvs, NONVOLATILE_STORAGE_COPY_PROGRAM_MERGED,
              nvs->config->spare_page + nvs->segment_page % nvs->geometry.erase_pages);
        break;
    case NONVOLATILE_STORAGE_COPY_ERASE_UNIT:
        nvs->copy_index = 0;
        copy_back_next(nvs);
        break;
    default:
        break;
    }
}

/* ---------------------------------------------------------------- command queue */

static void queue_start(struct cmd_queue *queue, struct process_id pid,
                        const struct cmd_queue_command *command)
{
    struct nonvolatile_storage *nvs = CONTAINER_OF(queue, struct nonvolatile_storage, queue);
    nvs->pid = pid;
    nvs->is_write = command->command_num == NONVOLATILE_STORAGE_CMD_WRITE;
    nvs->is_orphaned = false;
    nvs->offset = command->arg0;
    nvs->length = command->arg1; /* checked and clipped to the allow by the command */
    nvs->done = 0;
    nvs->step = nvs->is_write ? NONVOLATILE_STORAGE_WRITE_READ : NONVOLATILE_STORAGE_READ;
    next_segment(nvs);
}

static void queue_abort(struct cmd_queue *queue, struct process_id pid,
                        enum cmd_queue_abort_reason reason)
{
    struct nonvolatile_storage *nvs = CONTAINER_OF(queue, struct nonvolatile_storage, queue);
    (void)reason; /* no sessions: only EXITED happens */
    if (nvs->step != NONVOLATILE_STORAGE_IDLE && process_id_equal(nvs->pid, pid)) {
        nvs->is_orphaned = true; /* the flash completion in flight ends it (after a rewrite) */
    }
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

static struct syscall_return nonvolatile_storage_command(struct syscall_driver *driver,
                                                         uint32_t command_num, uint32_t arg0,
                                                         uint32_t arg1, struct process_id pid)
{
    struct nonvolatile_storage *nvs = CONTAINER_OF(driver, struct nonvolatile_storage, driver);
    switch (command_num) {
    case 0:
        return syscall_success();
    case NONVOLATILE_STORAGE_CMD_SIZE:
        return syscall_success_u32(region_bytes(nvs));
    case NONVOLATILE_STORAGE_CMD_READ:
    case NONVOLATILE_STORAGE_CMD_WRITE: {
        if (arg0 > region_bytes(nvs) || arg1 > region_bytes(nvs) - arg0) {
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

static const struct syscall_driver_ops nonvolatile_storage_driver_ops = {
    .command = nonvolatile_storage_command,
};
static const struct hil_flash_client_ops nonvolatile_storage_flash_ops = {
    .read_done = flash_read_done,
    .write_done = flash_write_done,
    .erase_done = flash_erase_done,
};

/* The region and spare unit fit the flash; with multi-page units they are whole, apart. */
static bool is_layout_valid(const struct hil_flash_geometry *g,
                            const struct nonvolatile_storage_config *c)
{
    uint64_t region_end = (uint64_t)c->first_page + c->page_count;
    if (c->page_count == 0 || region_end > g->page_count ||
        (uint64_t)c->page_count * g->page_size > UINT32_MAX) {
        return false;
    }
    if (g->erase_pages == 1) {
        return true;
    }
    uint64_t spare_end = (uint64_t)c->spare_page + g->erase_pages;
    return c->first_page % g->erase_pages == 0 && c->page_count % g->erase_pages == 0 &&
           c->spare_page % g->erase_pages == 0 && spare_end <= g->page_count &&
           (spare_end <= c->first_page || c->spare_page >= region_end);
}

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
    if (!is_layout_valid(&geometry, config)) {
        return ERR_INVAL;
    }
    *nvs = (struct nonvolatile_storage){
        .driver = { .ops = &nonvolatile_storage_driver_ops, .grant = &nvs->grant,
                    .shares_read_write = false },
        .flash_client = { .ops = &nonvolatile_storage_flash_ops },
        .flash = flash,
        .geometry = geometry,
        .config = config,
        .page_buf = page_buf,
        .step = NONVOLATILE_STORAGE_IDLE,
    };
    hil_flash_set_client(flash, &nvs->flash_client);
    err_t err = cmd_queue_init(&nvs->queue, &nonvolatile_storage_queue_ops, queue_config,
                               entries, entry_count);
    if (err != ERR_OK) {
        return err;
    }
    static const struct grant_config grant_config = {
        .driver_num = NVM_STORAGE_DRIVER_NUM,
        .data_size = 0,
        .data_align = 4,
        .upcalls = 2,
        .read_only = 1,
        .read_write = 1,
        .userspace_readable = 0,
    };
    return grant_create(&nvs->grant, k, &grant_config);
}
