/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * App loader (see capsules/app_loader.h): the state machine between a loading process, the
 * app flash device and the kernel's checks and process creation (kernel_check_app,
 * kernel_load_app).
 *
 * Usage: see capsules/app_loader.h.
 *
 * Invariants:
 *  - state != IDLE iff a load is under way, owned by `owner` (or orphaned);
 *  - every write programs, page by page, a page buffer that is 0xFF outside the new bytes,
 *    into bytes that read erased, so it changes nothing but them (NOR programming only
 *    clears bits); nothing is programmed past the app's size;
 *  - the only page outside the room that the loader changes is the one holding the list end,
 *    once, at the commit, and only its bytes from the list end on (merged back if the page must
 *    be erased; the erase and the program run in one chain of deferred calls, before any
 *    process runs again).
 */
#include "capsules/app_loader.h"

#include "capsules/driver_num.h"
#include "container.h"
#include "kernel/debug.h"

struct upcall_args {
    uint32_t subscribe_num;
    uint32_t arg0;
    uint32_t arg1;
};

static err_t schedule_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    const struct upcall_args *args = ctx;
    (void)data;
    /* A full queue drops the event (the kernel counts it), as in Tock. */
    err_t ignored = grant_schedule_upcall(kd, args->subscribe_num, args->arg0, args->arg1, 0);
    (void)ignored;
    return ERR_OK;
}

static void notify(struct app_loader *loader, uint32_t subscribe_num, err_t status, uint32_t arg)
{
    if (loader->is_orphaned) {
        return;
    }
    struct upcall_args args = { subscribe_num, (uint32_t)status, arg };
    err_t ignored = grant_enter(&loader->grant, loader->owner, schedule_in_grant, &args);
    (void)ignored; /* ERR_INVAL: the owner is gone; its exit hook orphans the load */
}

static uint32_t page_of(const struct app_loader *loader, uintptr_t address)
{
    return (uint32_t)((address - loader->area.start) / loader->geometry.page_size);
}

/* SAFETY: address lies in app flash, which the kernel reads directly (as its walk does). */
static const uint8_t *flash_bytes(uintptr_t address)
{
    return (const uint8_t *)address;
}

static void finish(struct app_loader *loader)
{
    loader->state = APP_LOADER_IDLE;
    loader->is_orphaned = false;
}

/* Erase the next page of [erase_next, plan.erase_end), or report the end of the erase. A
 * failure ends a setup (SETUP_DONE with FAIL); a clean-up goes on over the other pages. */
static void erase_step(struct app_loader *loader, err_t status)
{
    bool is_setup = loader->state == APP_LOADER_ERASING && !loader->is_orphaned;
    while (status == ERR_OK || !is_setup) {
        if (loader->erase_next >= loader->plan.erase_end) {
            break;
        }
        uint32_t page = page_of(loader, loader->erase_next);
        loader->erase_next += loader->geometry.page_size;
        status = hil_flash_erase_page(loader->flash, page);
        if (status == ERR_OK) {
            return; /* erase_done continues */
        }
    }
    if (status != ERR_OK) {
        debug_printf("[kernel] app loader: erase failed (%s)\n", err_name(status));
    }
    if (is_setup) {
        loader->state = status == ERR_OK ? APP_LOADER_READY : APP_LOADER_IDLE;
        notify(loader, APP_LOADER_UPCALL_SETUP_DONE, status == ERR_OK ? ERR_OK : ERR_FAIL, 0);
        return;
    }
    notify(loader, APP_LOADER_UPCALL_ABORT_DONE, status == ERR_OK ? ERR_OK : ERR_FAIL, 0);
    finish(loader);
}

static void start_cleaning(struct app_loader *loader)
{
    loader->state = APP_LOADER_CLEANING;
    loader->erase_next = loader->plan.erase_start;
    erase_step(loader, ERR_OK);
}

/* Program page `page` from page_buf (lent until write_done). */
static err_t program(struct app_loader *loader, uint32_t page)
{
    uint8_t *buf = loader->page_buf;
    err_t err = hil_flash_write_page(loader->flash, page, buf, loader->geometry.page_size);
    if (err == ERR_OK) {
        loader->page_buf = NULL;
    }
    return err;
}

/* ---------------------------------------------------------------- flash completions */

/* The checks and the process creation need deep stacks (a credential's hash or signature):
 * they run in frames of their own that return before any upcall is queued, so no call
 * through a pointer (grant_enter's) is made with them on the stack. */
static __attribute__((noinline)) err_t check_written(struct app_loader *loader)
{
    char reason[KERNEL_REASON_LEN];
    const char *why = kernel_check_app(loader->kernel, loader->plan.address, loader->plan.size,
                                       reason);
    if (why == NULL) {
        return ERR_OK;
    }
    debug_printf("[kernel] app loader: refused the app at 0x%08x: %s\n",
                 (unsigned)loader->plan.address, why);
    return ERR_FAIL;
}

static __attribute__((noinline)) err_t start_written(struct app_loader *loader)
{
    char reason[KERNEL_REASON_LEN];
    const char *why = kernel_load_app(loader->kernel, loader->plan.address, loader->plan.size,
                                      reason);
    if (why == NULL) {
        return ERR_OK;
    }
    debug_printf("[kernel] app loader: app at 0x%08x installed, not started: %s\n",
                 (unsigned)loader->plan.address, why);
    return ERR_NOMEM;
}

static void commit_done(struct app_loader *loader, err_t status)
{
    if (status != ERR_OK) {
        debug_printf("[kernel] app loader: the list end at 0x%08x could not be written\n",
                     (unsigned)loader->plan.list_end);
    } else {
        status = start_written(loader);
    }
    notify(loader, APP_LOADER_UPCALL_LOAD_DONE, status, 0);
    finish(loader);
}

static void read_done(struct hil_flash_client *client, uint8_t *buf, size_t len, err_t status)
{
    struct app_loader *loader = CONTAINER_OF(client, struct app_loader, flash_client);
    (void)len;
    loader->page_buf = buf;
    /* Only the commit reads: merge the padding object into the page, then erase it. */
    if (status == ERR_OK) {
        uint32_t at = (uint32_t)(loader->plan.list_end - loader->area.start) %
                      loader->geometry.page_size;
        app_load_padding_header(loader->page_buf + at,
                                (uint32_t)(loader->plan.address - loader->plan.list_end));
        loader->commit_step = APP_LOADER_COMMIT_ERASE;
        status = hil_flash_erase_page(loader->flash, page_of(loader, loader->plan.list_end));
    }
    if (status != ERR_OK) {
        commit_done(loader, ERR_FAIL);
    }
}

static err_t program_next_segment(struct app_loader *loader);

static void write_done(struct hil_flash_client *client, uint8_t *buf, size_t len, err_t status)
{
    struct app_loader *loader = CONTAINER_OF(client, struct app_loader, flash_client);
    (void)len;
    loader->page_buf = buf;
    if (loader->state == APP_LOADER_COMMITTING) {
        commit_done(loader, status);
        return;
    }
    /* WRITING */
    if (loader->is_orphaned) {
        start_cleaning(loader);
        return;
    }
    if (status == ERR_OK && loader->write_next < loader->write_end) {
        status = program_next_segment(loader);
        if (status == ERR_OK) {
            return; /* write_done continues */
        }
    } else if (status != ERR_OK) {
        status = ERR_FAIL;
    }
    loader->state = APP_LOADER_READY;
    notify(loader, APP_LOADER_UPCALL_WRITE_DONE, status, loader->write_len);
}

static void erase_done(struct hil_flash_client *client, err_t status)
{
    struct app_loader *loader = CONTAINER_OF(client, struct app_loader, flash_client);
    if (loader->state == APP_LOADER_COMMITTING) {
        /* The merged page goes back at once: no process runs between (deferred calls). */
        err_t err = status == ERR_OK ? program(loader, page_of(loader, loader->plan.list_end))
                                     : ERR_FAIL;
        if (err != ERR_OK) {
            commit_done(loader, ERR_FAIL);
        }
        return;
    }
    if (loader->state == APP_LOADER_ERASING && loader->is_orphaned) {
        loader->state = APP_LOADER_CLEANING; /* the rest of the room is erased all the same */
    }
    erase_step(loader, status);
}

/* ---------------------------------------------------------------- commands */

static struct syscall_return setup(struct app_loader *loader, uint32_t size, uint32_t address,
                                   struct process_id pid)
{
    uintptr_t list_end = 0;
    if (kernel_app_list_end(loader->kernel, &list_end) != ERR_OK) {
        return syscall_failure(ERR_FAIL);
    }
    struct app_load_plan plan;
    enum app_load_plan_status st = app_load_plan(&loader->area, list_end, size, address,
                                                 kernel_app_flash_fits, NULL, &plan);
    if (st == APP_LOAD_PLAN_NO_ROOM) {
        return syscall_failure(ERR_NOMEM);
    }
    if (st != APP_LOAD_PLAN_OK) {
        return syscall_failure(ERR_INVAL);
    }
    loader->plan = plan;
    loader->owner = pid;
    loader->is_orphaned = false;
    loader->state = APP_LOADER_ERASING;
    loader->erase_next = plan.erase_start;
    erase_step(loader, ERR_OK);
    return syscall_success();
}

/* Copy the next segment of the write (the part in one page) from the owner's allow into
 * page_buf, 0xFF around it, and program it. In grant: the allow is read where it is now. */
static err_t copy_segment_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct app_loader *loader = ctx;
    (void)data;
    uint32_t page_size = loader->geometry.page_size;
    uint32_t at = loader->write_next % page_size; /* the app starts on a page */
    uint32_t len = page_size - at;
    if (len > loader->write_end - loader->write_next) {
        len = loader->write_end - loader->write_next;
    }
    __builtin_memset(loader->page_buf, 0xFF, page_size);
    err_t err = grant_ro_read(kd, APP_LOADER_ALLOW_RO_WRITE, loader->write_next - loader->write_from,
                              loader->page_buf + at, len);
    if (err != ERR_OK) {
        return ERR_SIZE; /* the allow shrank or went away since the command */
    }
    err = program(loader, page_of(loader, loader->plan.address + loader->write_next));
    if (err != ERR_OK) {
        return ERR_FAIL;
    }
    loader->write_next += len;
    return ERR_OK;
}

static err_t program_next_segment(struct app_loader *loader)
{
    return grant_enter(&loader->grant, loader->owner, copy_segment_in_grant, loader);
}

struct write_args {
    struct app_loader *loader;
    uint32_t offset;
    uint32_t len;
};

/* The write's checks against the allow: there is one, it holds len bytes, and the bytes past
 * the app's end (a loader's last chunk padded to its buffer) read 0x00 or 0xFF, so nothing is
 * written there and the walk still ends right after the app. */
static err_t check_allow_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    const struct write_args *args = ctx;
    struct app_loader *loader = args->loader;
    (void)data;
    if (!grant_ro_is_set(kd, APP_LOADER_ALLOW_RO_WRITE)) {
        return ERR_RESERVE;
    }
    if (grant_ro_len(kd, APP_LOADER_ALLOW_RO_WRITE) < args->len) {
        return ERR_SIZE;
    }
    uint32_t end = args->offset + args->len; /* no wrap: app_load_write_ok */
    uint32_t page_size = loader->geometry.page_size;
    /* The tail, a page at a time through page_buf (not lent: the loader is READY). */
    for (uint32_t at = loader->plan.size; at < end;) {
        uint32_t n = end - at < page_size ? end - at : page_size;
        if (grant_ro_read(kd, APP_LOADER_ALLOW_RO_WRITE, at - args->offset, loader->page_buf,
                          n) != ERR_OK) {
            return ERR_SIZE;
        }
        bool zero = true;
        for (uint32_t i = 0; i < n; i++) {
            zero = zero && loader->page_buf[i] == 0;
        }
        if (!zero && !app_load_is_erased(loader->page_buf, n)) {
            return ERR_INVAL;
        }
        at += n;
    }
    return ERR_OK;
}

static struct syscall_return write(struct app_loader *loader, uint32_t offset, uint32_t len)
{
    if (loader->state != APP_LOADER_READY ||
        !app_load_write_ok(&loader->plan, loader->geometry.page_size, offset, len)) {
        return syscall_failure(ERR_INVAL);
    }
    struct write_args args = { loader, offset, len };
    err_t err = grant_enter(&loader->grant, loader->owner, check_allow_in_grant, &args);
    if (err != ERR_OK) {
        return syscall_failure(err);
    }
    uint32_t end = len > loader->plan.size - offset ? loader->plan.size : offset + len;
    if (!app_load_is_erased(flash_bytes(loader->plan.address + offset), end - offset)) {
        return syscall_failure(ERR_ALREADY);
    }
    loader->write_from = offset;
    loader->write_next = offset;
    loader->write_end = end;
    loader->write_len = len;
    err = program_next_segment(loader);
    if (err != ERR_OK) {
        return syscall_failure(err);
    }
    loader->state = APP_LOADER_WRITING;
    return syscall_success();
}

static struct syscall_return finalize(struct app_loader *loader)
{
    if (loader->state != APP_LOADER_READY) {
        return syscall_failure(ERR_INVAL);
    }
    if (check_written(loader) != ERR_OK) {
        start_cleaning(loader);
        return syscall_failure(ERR_FAIL);
    }
    loader->state = APP_LOADER_FINALIZED;
    notify(loader, APP_LOADER_UPCALL_FINALIZE_DONE, ERR_OK, 0);
    return syscall_success();
}

static struct syscall_return load(struct app_loader *loader)
{
    if (loader->state != APP_LOADER_FINALIZED) {
        return syscall_failure(ERR_INVAL);
    }
    uint32_t page_size = loader->geometry.page_size;
    uint32_t page = page_of(loader, loader->plan.list_end);
    uint32_t at = (uint32_t)(loader->plan.list_end - loader->area.start) % page_size;
    err_t err = ERR_OK;
    if (app_load_is_erased(flash_bytes(loader->plan.list_end), APP_LOAD_PADDING_MIN)) {
        __builtin_memset(loader->page_buf, 0xFF, page_size);
        app_load_padding_header(loader->page_buf + at,
                                (uint32_t)(loader->plan.address - loader->plan.list_end));
        loader->commit_step = APP_LOADER_COMMIT_PROGRAM;
        err = program(loader, page);
    } else {
        loader->commit_step = APP_LOADER_COMMIT_READ;
        uint8_t *buf = loader->page_buf;
        err = hil_flash_read_page(loader->flash, page, buf, page_size);
        if (err == ERR_OK) {
            loader->page_buf = NULL;
        }
    }
    if (err != ERR_OK) {
        return syscall_failure(ERR_FAIL);
    }
    loader->state = APP_LOADER_COMMITTING;
    return syscall_success();
}

static struct syscall_return abort_load(struct app_loader *loader)
{
    if (loader->state != APP_LOADER_READY && loader->state != APP_LOADER_FINALIZED) {
        return syscall_failure(loader->state == APP_LOADER_IDLE ? ERR_INVAL : ERR_BUSY);
    }
    start_cleaning(loader);
    return syscall_success();
}

static struct syscall_return app_loader_command_result(struct syscall_driver *driver,
                                                       uint32_t command_num, uint32_t arg0,
                                                       uint32_t arg1, struct process_id pid)
{
    struct app_loader *loader = CONTAINER_OF(driver, struct app_loader, driver);
    if (command_num == 0) {
        return syscall_success();
    }
    if (command_num > APP_LOADER_CMD_ABORT) {
        return syscall_failure(ERR_NOSUPPORT);
    }
    bool is_owner = loader->state != APP_LOADER_IDLE && !loader->is_orphaned &&
                    loader->owner.index == pid.index && loader->owner.id == pid.id;
    if (command_num == APP_LOADER_CMD_SETUP) {
        return loader->state != APP_LOADER_IDLE ? syscall_failure(ERR_BUSY)
                                                : setup(loader, arg0, arg1, pid);
    }
    if (loader->state == APP_LOADER_IDLE) {
        return syscall_failure(ERR_INVAL); /* nothing set up */
    }
    if (!is_owner) {
        return syscall_failure(ERR_BUSY);
    }
    switch (command_num) {
    case APP_LOADER_CMD_WRITE:
        return write(loader, arg0, arg1);
    case APP_LOADER_CMD_FINALIZE:
        return finalize(loader);
    case APP_LOADER_CMD_LOAD:
        return load(loader);
    default:
        return abort_load(loader);
    }
}

static void app_loader_command(struct syscall_driver *driver, uint32_t *regs,
                               struct process_id pid)
{
    syscall_command_run(app_loader_command_result, driver, regs, pid);
}

/* The owner died: its upcalls go nowhere, and the room is erased once the flash is free. */
static void owner_exited(struct process_exit_hook *hook, struct process_id pid)
{
    struct app_loader *loader = CONTAINER_OF(hook, struct app_loader, exit_hook);
    if (loader->state == APP_LOADER_IDLE || loader->is_orphaned ||
        loader->owner.index != pid.index || loader->owner.id != pid.id) {
        return;
    }
    loader->is_orphaned = true;
    if (loader->state == APP_LOADER_READY || loader->state == APP_LOADER_FINALIZED) {
        start_cleaning(loader);
    }
    /* ERASING and WRITING clean up at their completion; COMMITTING loads the checked app (it
     * is valid whoever asked for it); CLEANING goes on. */
}

static const struct syscall_driver_ops app_loader_driver_ops = {
    .command = app_loader_command,
};
static const struct hil_flash_client_ops app_loader_flash_ops = {
    .read_done = read_done,
    .write_done = write_done,
    .erase_done = erase_done,
};

err_t app_loader_init(struct app_loader *loader, struct hil_flash *flash, uint8_t *page_buf,
                      size_t page_buf_len, struct kernel *k)
{
    struct hil_flash_geometry geometry = hil_flash_geometry(flash);
    if (page_buf == NULL || page_buf_len != geometry.page_size) {
        return ERR_SIZE;
    }
    uint64_t device_bytes = (uint64_t)geometry.page_size * geometry.page_count;
    uintptr_t start = k->config.app_flash_start;
    if (geometry.erase_pages != 1 || geometry.page_size == 0 ||
        (geometry.page_size & (geometry.page_size - 1u)) != 0 ||
        start % geometry.page_size != 0 || device_bytes < k->config.app_flash_end - start ||
        (k->config.app_flash_end - start) % geometry.page_size != 0) {
        return ERR_INVAL;
    }
    *loader = (struct app_loader){
        .driver = { .ops = &app_loader_driver_ops, .grant = &loader->grant,
                    .shares_read_write = false },
        .flash_client = { .ops = &app_loader_flash_ops },
        .exit_hook = { .on_exit = owner_exited },
        .kernel = k,
        .flash = flash,
        .geometry = geometry,
        .area = { .start = start, .end = k->config.app_flash_end,
                  .page_size = geometry.page_size },
        .page_buf = page_buf,
        .state = APP_LOADER_IDLE,
    };
    hil_flash_set_client(flash, &loader->flash_client);
    static const struct grant_config grant_config = {
        .driver_num = APP_LOADER_DRIVER_NUM,
        .data_size = 0,
        .data_align = 4,
        .upcalls = APP_LOADER_UPCALL_COUNT,
        .read_only = 1,
        .read_write = 0,
        .userspace_readable = 0,
    };
    return grant_create(&loader->grant, k, &grant_config);
}
