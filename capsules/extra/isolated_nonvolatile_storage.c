/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Isolated nonvolatile storage driver (see capsules/isolated_nonvolatile_storage.h).
 *
 * A request's turn: look up the process's storage identity in the directory page (one page
 * read), allocating the first free entry if it has none (one page program), then answer a
 * size request or hand the byte range to the flash transfer. The first request after boot
 * lets the flash transfer recover its rewrite journal before the directory is read. The identity is taken again at
 * the turn, from the board's policy, so a request never acts for a process that is gone.
 *
 * Usage: see capsules/isolated_nonvolatile_storage.h.
 *
 * Invariants:
 *  - step != IDLE iff the command queue has a request running for `pid`; cmd_queue_done is
 *    called exactly once when step returns to IDLE.
 *  - dir_buf == NULL iff a directory read or program is outstanding.
 *  - A transfer covers [offset, offset + length) inside region `region`, which belongs to
 *    write_id in the directory; no region is touched before its entry is programmed.
 */
#include "capsules/isolated_nonvolatile_storage.h"

#include "capsules/driver_num.h"
#include "container.h"
#include "le_bytes.h"

struct command_args {
    struct isolated_storage *invs;
    uint32_t command_num;
    uint32_t offset;
    struct process_id pid;
};

struct turn_args {
    struct isolated_storage *invs;
    uint32_t length;
    err_t status; /* the allow's verdict (grant_enter's own error means the process is gone) */
};

struct finish_args {
    uint32_t subscribe_num;
    err_t status;
    uint32_t value;
};

static bool is_write(uint32_t command_num)
{
    return command_num == ISOLATED_STORAGE_CMD_WRITE;
}

static uint32_t version_and_length(const struct isolated_storage *invs)
{
    return (ISOLATED_STORAGE_VERSION << 24) | invs->region_bytes;
}

static uint32_t entry_check(uint32_t version_length, uint32_t write_id, uint32_t index)
{
    return ISOLATED_STORAGE_MAGIC ^ version_length ^ write_id ^ index;
}

/* The allow a read or write uses: its length, and whether a buffer was given at all. */
static size_t allow_len(const struct grant_kernel_data *kd, uint32_t command_num)
{
    return is_write(command_num) ? grant_ro_len(kd, ISOLATED_STORAGE_ALLOW_RO_WRITE)
                                 : grant_rw_len(kd, ISOLATED_STORAGE_ALLOW_RW_READ);
}

static bool allow_is_set(const struct grant_kernel_data *kd, uint32_t command_num)
{
    return is_write(command_num) ? grant_ro_is_set(kd, ISOLATED_STORAGE_ALLOW_RO_WRITE)
                                 : grant_rw_is_set(kd, ISOLATED_STORAGE_ALLOW_RW_READ);
}

/* [offset, offset + len) lies in a region. */
static bool is_inside(const struct isolated_storage *invs, uint32_t offset, size_t len)
{
    return offset < invs->region_bytes && len <= invs->region_bytes - offset;
}

/* Its permissions give the process an identity, and the right the command needs for it. */
static err_t check_permissions(const struct storage_permissions *p, uint32_t command_num)
{
    if (!storage_permissions_can_write(p)) {
        return ERR_NOSUPPORT;
    }
    if (command_num == ISOLATED_STORAGE_CMD_READ &&
        !storage_permissions_can_read(p, p->write_id)) {
        return ERR_NOSUPPORT;
    }
    if (is_write(command_num) && !storage_permissions_can_modify(p, p->write_id)) {
        return ERR_NOSUPPORT;
    }
    return ERR_OK;
}

/* ---------------------------------------------------------------- ending a request */

static err_t schedule_done(void *data, struct grant_kernel_data *kd, void *ctx)
{
    const struct finish_args *args = ctx;
    (void)data;
    /* A full upcall queue drops the event (the kernel counts it), as in Tock. */
    err_t ignored = grant_schedule_upcall(kd, args->subscribe_num, (uint32_t)args->status,
                                          args->value, 0);
    (void)ignored;
    return ERR_OK;
}

static void stop(struct isolated_storage *invs)
{
    invs->step = ISOLATED_STORAGE_IDLE;
    cmd_queue_done(&invs->queue);
}

static void finish(struct isolated_storage *invs, err_t status, uint32_t value)
{
    static const uint32_t subscribe_of[] = { ISOLATED_STORAGE_SUBSCRIBE_SIZE,
                                             ISOLATED_STORAGE_SUBSCRIBE_SIZE,
                                             ISOLATED_STORAGE_SUBSCRIBE_READ,
                                             ISOLATED_STORAGE_SUBSCRIBE_WRITE };
    if (!invs->is_orphaned) {
        struct finish_args args = { .subscribe_num = subscribe_of[invs->command_num & 3u],
                                    .status = status,
                                    .value = status == ERR_OK ? value : 0 };
        /* ERR_INVAL: the process died after all; its upcall goes nowhere. */
        err_t ignored = grant_enter(&invs->grant, invs->pid, schedule_done, &args);
        (void)ignored;
    }
    stop(invs);
}

static void read_directory(struct isolated_storage *invs);

static void transfer_done(struct flash_transfer_client *client, err_t status, uint32_t moved,
                          bool is_orphaned)
{
    struct isolated_storage *invs = CONTAINER_OF(client, struct isolated_storage,
                                                 transfer_client);
    if (is_orphaned) {
        stop(invs);
        return;
    }
    if (invs->step == ISOLATED_STORAGE_RECOVER && status == ERR_OK) {
        read_directory(invs);
        return;
    }
    finish(invs, status, moved);
}

/* ---------------------------------------------------------------- the request's turn */

static uint32_t region_first_page(const struct isolated_storage *invs, uint32_t region)
{
    return invs->config->first_page + 1u + region * invs->config->region_pages;
}

/* The process's region is known: do what it asked. */
static void run(struct isolated_storage *invs)
{
    if (invs->is_orphaned) {
        stop(invs);
        return;
    }
    if (invs->command_num == ISOLATED_STORAGE_CMD_SIZE) {
        finish(invs, ERR_OK, invs->region_bytes);
        return;
    }
    invs->step = ISOLATED_STORAGE_TRANSFER;
    flash_transfer_start(&invs->transfer, &invs->grant, invs->pid, is_write(invs->command_num),
                         is_write(invs->command_num) ? ISOLATED_STORAGE_ALLOW_RO_WRITE
                                                     : ISOLATED_STORAGE_ALLOW_RW_READ,
                         region_first_page(invs, invs->region), invs->offset, invs->length);
}

/* The directory page is in dir_buf: find the process's entry, or allocate one. */
static void lookup(struct isolated_storage *invs)
{
    uint32_t vl = version_and_length(invs);
    uint32_t free_entry = invs->config->region_count;
    for (uint32_t i = 0; i < invs->config->region_count; i++) {
        const uint8_t *e = invs->dir_buf + i * ISOLATED_STORAGE_ENTRY_SIZE;
        uint32_t magic = le_get_u32(e);
        uint32_t entry_vl = le_get_u32(e + 4);
        uint32_t write_id = le_get_u32(e + 8);
        uint32_t check = le_get_u32(e + 12);
        bool is_valid = magic == ISOLATED_STORAGE_MAGIC && entry_vl == vl &&
                        check == entry_check(entry_vl, write_id, i);
        if (is_valid && write_id == invs->write_id) {
            invs->region = i;
            run(invs);
            return;
        }
        /* Free, or an allocation the power cut short (never a complete entry, whatever its
         * layout): usable if this identity's entry can be programmed over it. */
        bool is_complete = magic == ISOLATED_STORAGE_MAGIC &&
                           check == entry_check(entry_vl, write_id, i);
        bool is_programmable = (magic & ISOLATED_STORAGE_MAGIC) == ISOLATED_STORAGE_MAGIC &&
                               (entry_vl & vl) == vl &&
                               (write_id & invs->write_id) == invs->write_id &&
                               (check & entry_check(vl, invs->write_id, i)) ==
                                   entry_check(vl, invs->write_id, i);
        if (!is_complete && is_programmable && free_entry == invs->config->region_count) {
            free_entry = i;
        }
    }
    if (free_entry == invs->config->region_count) {
        finish(invs, ERR_NOMEM, 0);
        return;
    }
    /* Program the page as read with the new entry filled in: the other bytes stay as they are
     * (programming ANDs), the entry's bytes have 1s wherever the entry does. */
    uint8_t *e = invs->dir_buf + free_entry * ISOLATED_STORAGE_ENTRY_SIZE;
    le_put_u32(e, ISOLATED_STORAGE_MAGIC);
    le_put_u32(e + 4, vl);
    le_put_u32(e + 8, invs->write_id);
    le_put_u32(e + 12, entry_check(vl, invs->write_id, free_entry));
    invs->region = free_entry;
    invs->step = ISOLATED_STORAGE_ALLOCATE;
    err_t err = hil_flash_write_page(invs->dir_flash, invs->config->first_page, invs->dir_buf,
                                     invs->geometry.page_size);
    if (err != ERR_OK) {
        finish(invs, err, 0);
        return;
    }
    invs->dir_buf = NULL;
}

static void dir_read_done(struct hil_flash_client *client, uint8_t *buf, size_t len,
                          err_t status)
{
    struct isolated_storage *invs = CONTAINER_OF(client, struct isolated_storage, dir_client);
    (void)len;
    invs->dir_buf = buf;
    if (status != ERR_OK) {
        finish(invs, status, 0);
        return;
    }
    if (invs->is_orphaned) {
        stop(invs);
        return;
    }
    lookup(invs);
}

static void dir_write_done(struct hil_flash_client *client, uint8_t *buf, size_t len,
                           err_t status)
{
    struct isolated_storage *invs = CONTAINER_OF(client, struct isolated_storage, dir_client);
    (void)len;
    invs->dir_buf = buf;
    if (status != ERR_OK) {
        finish(invs, status, 0);
        return;
    }
    run(invs);
}

static void dir_erase_done(struct hil_flash_client *client, err_t status)
{
    (void)client; /* the directory is never erased */
    (void)status;
}

/* At the turn: the allow the command will use, checked as the command checked it. */
static err_t check_turn_allow(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct turn_args *args = ctx;
    struct isolated_storage *invs = args->invs;
    (void)data;
    size_t len = allow_len(kd, invs->command_num);
    if (len == 0) {
        args->status = ERR_RESERVE;
    } else if (!is_inside(invs, invs->offset, len)) {
        args->status = ERR_INVAL; /* the allow grew since the command */
    } else {
        args->length = (uint32_t)len;
        args->status = ERR_OK;
    }
    return ERR_OK;
}

static void queue_start(struct cmd_queue *queue, struct process_id pid,
                        const struct cmd_queue_command *command)
{
    struct isolated_storage *invs = CONTAINER_OF(queue, struct isolated_storage, queue);
    invs->pid = pid;
    invs->is_orphaned = false;
    invs->command_num = command->command_num;
    invs->offset = command->arg0;
    invs->length = 0;
    invs->step = ISOLATED_STORAGE_LOOKUP;
    struct storage_permissions perms;
    if (invs->config->permissions(invs->config->ctx, pid, &perms) != ERR_OK) {
        stop(invs); /* the process is gone */
        return;
    }
    err_t err = check_permissions(&perms, invs->command_num);
    if (err != ERR_OK) {
        finish(invs, err, 0);
        return;
    }
    invs->write_id = perms.write_id;
    if (invs->command_num != ISOLATED_STORAGE_CMD_SIZE) {
        struct turn_args args = { .invs = invs, .length = 0, .status = ERR_FAIL };
        err = grant_enter(&invs->grant, pid, check_turn_allow, &args);
        if (err == ERR_INVAL) {
            stop(invs); /* the process is gone */
            return;
        }
        if (err != ERR_OK || args.status != ERR_OK) {
            finish(invs, err != ERR_OK ? err : args.status, 0);
            return;
        }
        invs->length = args.length;
    }
    if (invs->transfer.has_journal && !invs->transfer.is_recovered) {
        /* A transfer of nothing: only the journal's recovery, before the directory is read. */
        invs->step = ISOLATED_STORAGE_RECOVER;
        flash_transfer_start(&invs->transfer, &invs->grant, pid, false,
                             ISOLATED_STORAGE_ALLOW_RW_READ, region_first_page(invs, 0), 0, 0);
        return;
    }
    read_directory(invs);
}

static void read_directory(struct isolated_storage *invs)
{
    invs->step = ISOLATED_STORAGE_LOOKUP;
    err_t err = hil_flash_read_page(invs->dir_flash, invs->config->first_page, invs->dir_buf,
                                    invs->geometry.page_size);
    if (err != ERR_OK) {
        finish(invs, err, 0);
        return;
    }
    invs->dir_buf = NULL;
}

static void queue_abort(struct cmd_queue *queue, struct process_id pid,
                        enum cmd_queue_abort_reason reason)
{
    struct isolated_storage *invs = CONTAINER_OF(queue, struct isolated_storage, queue);
    (void)reason; /* no sessions: only EXITED happens */
    if (invs->step != ISOLATED_STORAGE_IDLE && process_id_equal(invs->pid, pid)) {
        invs->is_orphaned = true;
        flash_transfer_orphan(&invs->transfer, pid);
    }
}

static const struct cmd_queue_ops isolated_storage_queue_ops = {
    .start = queue_start,
    .abort = queue_abort,
};

/* ---------------------------------------------------------------- syscalls */

static err_t command_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    const struct command_args *args = ctx;
    struct isolated_storage *invs = args->invs;
    (void)data;
    if (args->command_num != ISOLATED_STORAGE_CMD_SIZE) {
        size_t len = allow_len(kd, args->command_num);
        if (len == 0 && allow_is_set(kd, args->command_num)) {
            return ERR_RESERVE; /* an empty buffer; no buffer is reported at the turn */
        }
        if (len > 0 && !is_inside(invs, args->offset, len)) {
            return ERR_INVAL;
        }
    }
    struct cmd_queue_command command = { .command_num = args->command_num,
                                         .arg0 = args->offset, .arg1 = 0 };
    err_t err = cmd_queue_submit(&invs->queue, args->pid, &command);
    return err == ERR_ALREADY ? ERR_BUSY : err;
}

static struct syscall_return
isolated_storage_command_result(struct syscall_driver *driver, uint32_t command_num, uint32_t arg0,
                                uint32_t arg1, struct process_id pid)
{
    struct isolated_storage *invs = CONTAINER_OF(driver, struct isolated_storage, driver);
    if (command_num == 0) {
        return syscall_success();
    }
    if (command_num > ISOLATED_STORAGE_CMD_WRITE) {
        return syscall_failure(ERR_NOSUPPORT);
    }
    struct storage_permissions perms;
    if (invs->config->permissions(invs->config->ctx, pid, &perms) != ERR_OK) {
        return syscall_failure(ERR_INVAL);
    }
    err_t err = check_permissions(&perms, command_num);
    if (err != ERR_OK) {
        return syscall_failure(err);
    }
    if (command_num != ISOLATED_STORAGE_CMD_SIZE && arg1 != 0) {
        return syscall_failure(ERR_INVAL); /* past 4 GiB: no region is that big */
    }
    struct command_args args = { .invs = invs, .command_num = command_num,
                                 .offset = command_num == ISOLATED_STORAGE_CMD_SIZE ? 0 : arg0,
                                 .pid = pid };
    err = grant_enter(&invs->grant, pid, command_in_grant, &args);
    return err == ERR_OK ? syscall_success() : syscall_failure(err);
}

static void isolated_storage_command(struct syscall_driver *driver, uint32_t *regs,
                                     struct process_id pid)
{
    syscall_command_run(isolated_storage_command_result, driver, regs, pid);
}

static const struct syscall_driver_ops isolated_storage_driver_ops = {
    .command = isolated_storage_command,
};
static const struct flash_transfer_client_ops isolated_storage_transfer_ops = {
    .done = transfer_done,
};
static const struct hil_flash_client_ops isolated_storage_dir_ops = {
    .read_done = dir_read_done,
    .write_done = dir_write_done,
    .erase_done = dir_erase_done,
};

/* The area fits the flash; with multi-page erase units the spare unit is aligned, inside the
 * flash, and shares no unit with the area. */
static bool is_layout_valid(const struct hil_flash_geometry *g,
                            const struct isolated_storage_config *c)
{
    uint64_t area_end = (uint64_t)c->first_page + 1u + (uint64_t)c->region_count *
                                                            c->region_pages;
    if (c->region_count == 0 || c->region_pages == 0 ||
        c->region_count > g->page_size / ISOLATED_STORAGE_ENTRY_SIZE ||
        area_end > g->page_count || (uint64_t)c->region_pages * g->page_size > 0xFFFFFFu) {
        return false;
    }
    if (c->has_journal &&
        !flash_transfer_journal_ok(g, c->first_page, (uint32_t)(area_end - c->first_page),
                                   c->spare_page, c->journal_page)) {
        return false;
    }
    if (g->erase_pages == 1) {
        return true;
    }
    uint64_t unit = g->erase_pages;
    uint64_t area_first_unit = c->first_page - c->first_page % unit;
    uint64_t area_end_unit = (area_end + unit - 1u) / unit * unit;
    uint64_t spare_end = (uint64_t)c->spare_page + unit;
    return c->spare_page % unit == 0 && spare_end <= g->page_count &&
           (spare_end <= area_first_unit || c->spare_page >= area_end_unit);
}

err_t isolated_storage_init(struct isolated_storage *invs, struct hil_flash *data_flash,
                            struct hil_flash *dir_flash,
                            const struct isolated_storage_config *config, uint8_t *page_buf,
                            uint8_t *dir_buf, size_t buf_len,
                            const struct cmd_queue_config *queue_config,
                            struct cmd_queue_entry *entries, uint32_t entry_count,
                            struct kernel *k)
{
    struct hil_flash_geometry geometry = hil_flash_geometry(dir_flash);
    if (page_buf == NULL || dir_buf == NULL || buf_len != geometry.page_size) {
        return ERR_SIZE;
    }
    if (!is_layout_valid(&geometry, config)) {
        return ERR_INVAL;
    }
    *invs = (struct isolated_storage){
        .driver = { .ops = &isolated_storage_driver_ops, .grant = &invs->grant,
                    .shares_read_write = false },
        .transfer_client = { .ops = &isolated_storage_transfer_ops },
        .dir_client = { .ops = &isolated_storage_dir_ops },
        .dir_flash = dir_flash,
        .geometry = geometry,
        .config = config,
        .region_bytes = config->region_pages * geometry.page_size,
        .dir_buf = dir_buf,
        .step = ISOLATED_STORAGE_IDLE,
    };
    hil_flash_set_client(dir_flash, &invs->dir_client);
    err_t err = flash_transfer_init(&invs->transfer, data_flash, page_buf, buf_len,
                                    config->spare_page, &invs->transfer_client);
    if (err != ERR_OK) {
        return err;
    }
    if (config->has_journal) {
        flash_transfer_set_journal(&invs->transfer, config->journal_page);
    }
    err = cmd_queue_init(&invs->queue, &isolated_storage_queue_ops, queue_config, entries,
                         entry_count);
    if (err != ERR_OK) {
        return err;
    }
    static const struct grant_config grant_config = {
        .driver_num = ISOLATED_NVM_STORAGE_DRIVER_NUM,
        .data_size = 0,
        .data_align = 4,
        .upcalls = 3,
        /* Every subscribe is a queued request's completion: latched (record 030), so a
         * process that floods its own upcall ring cannot lose it. */
        .latched_upcalls = 0x7u,
        .read_only = 1,
        .read_write = 1,
        .userspace_readable = 0,
    };
    return grant_create(&invs->grant, k, &grant_config);
}
