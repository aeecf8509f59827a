/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Console syscall driver (0x1): serialized process writes and reads on a UART.
 *
 * Write (cmd 1, n): min(n, length of read-only allow 1) bytes are copied chunk by chunk through
 * the kernel staging buffer (tx_buf) and transmitted; a chunk followed by more of the write
 * ends at its last line end, so a line that fits tx_buf is one transmission, which the UART
 * mux never splits (kernel output goes between lines). One process's write runs to completion
 * before another's starts, so its bytes are never interleaved with another process's; writes
 * that arrive meanwhile wait, and are served round-robin by process slot starting after the
 * process served last (a process that writes again from its write-done callback goes behind the
 * others). A process that dies mid-write is skipped and the next one is served.
 *
 * Write-done upcall (subscribe 1): (status, bytes_written, 0). DEVIATION from Tock, which sends
 * (bytes_written, 0, 0): libtock-c's console reads this upcall as (status, length), so with
 * Tock's order its _write() returns 0 and newlib stops printing (ABI §9.6). status is 0 on
 * success, else the error that ended the write (bytes_written then counts what was sent).
 *
 * Read (cmd 2, n): min(n, length of read-write allow 1) bytes; INVAL if that exceeds rx_buf,
 * BUSY if the caller already has a read outstanding. While another process reads, the read
 * waits and reads are served round-robin like writes. Read-done upcall (subscribe 2):
 * (status, bytes_received, 0) with status SIZE when more arrived than the allow holds, NOMEM
 * when there is no allow, FAIL on a UART error, CANCEL after cmd 3. Cmd 3 aborts the caller's
 * read; the read-done upcall still comes with what was received.
 *
 * A process that dies while reading keeps the UART reception until bytes arrive (they are
 * dropped) or another process asks to read, which aborts the dead process's reception.
 *
 * console_has_reader tells the process console (capsules/process_console.h) whether input
 * belongs to the apps: true while a live process has ever asked to read (cmd 2).
 *
 * Other choices: a write or read of 0 bytes completes at once with its upcall (Tock would hand
 * 0 bytes to the UART); cmd 1 while the caller's previous write is outstanding returns BUSY
 * (Tock silently restarts it); a UART refusal of the first chunk or of a read is returned by
 * the command, with no upcall.
 *
 * Usage: see capsules/console.h.
 *
 * Invariants:
 *  - tx_buf == NULL iff the UART owns it, and then `writer` is the process whose write is in
 *    progress; a process with is_write_pending set exists only while tx_buf == NULL.
 *  - The same holds for rx_buf, `reader` and is_read_pending.
 *  - Upcalls are only queued (grant_schedule_upcall); nothing runs in a process synchronously.
 */
#include "capsules/console.h"

#include "capsules/driver_num.h"
#include "container.h"

/* A round-robin cursor before any process was served: the lowest slot goes first. */
#define CONSOLE_NO_PROCESS UINT32_MAX

struct console_app {
    size_t write_len;
    size_t write_remaining;
    bool is_write_pending; /* queued behind another process's write */
    size_t read_len;
    bool is_read_pending; /* queued behind another process's read */
    bool has_read;        /* asked to read at least once (console_has_reader) */
};

struct command_args {
    struct console *console;
    uint32_t command_num;
    uint32_t arg;
    struct process_id pid;
};

struct completion_args {
    struct console *console;
    uint8_t *buf;
    size_t len;
    err_t status;
};

/* Round-robin choice among processes with something pending: the lowest slot after `last`,
 * else the lowest slot. */
struct pick {
    bool is_read; /* choose among pending reads, else pending writes */
    uint32_t last;
    uint32_t count;
    bool has_first;
    bool has_after;
    struct process_id first;
    struct process_id after;
};

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

static bool is_writing(const struct console *console)
{
    return console->tx_buf == NULL;
}

static bool is_reading(const struct console *console)
{
    return console->rx_buf == NULL;
}

static void queue_upcall(struct grant_kernel_data *kd, uint32_t subscribe_num, err_t status,
                         size_t len)
{
    /* A full upcall queue drops the event (the kernel counts it), as in Tock. */
    err_t ignored = grant_schedule_upcall(kd, subscribe_num, (uint32_t)status, (uint32_t)len, 0);
    (void)ignored;
}

static void pick_pending(struct process_id pid, void *data, struct grant_kernel_data *kd,
                         void *ctx)
{
    const struct console_app *app = data;
    struct pick *pick = ctx;
    (void)kd;
    if (!(pick->is_read ? app->is_read_pending : app->is_write_pending)) {
        return;
    }
    pick->count++;
    if (!pick->has_first) {
        pick->has_first = true;
        pick->first = pid;
    }
    if (!pick->has_after && pid.index > pick->last) {
        pick->has_after = true;
        pick->after = pid;
    }
}

/* ---------------------------------------------------------------- write */

static void finish_write(struct console_app *app, struct grant_kernel_data *kd, err_t status)
{
    size_t written = app->write_len - app->write_remaining;
    app->write_len = 0;
    app->write_remaining = 0;
    queue_upcall(kd, CONSOLE_SUBSCRIBE_WRITE_DONE, status, written);
}

/* Copy the next chunk of the process's allow into tx_buf and lend it to the UART. A chunk with
 * more of the write after it ends at its last line end, if it has one, so every line that fits
 * tx_buf goes out in one transmission (other UART clients, kernel output, never land inside
 * it: the mux serves transmissions whole). */
static err_t send_chunk(struct console *console, struct console_app *app,
                        struct grant_kernel_data *kd, struct process_id pid)
{
    size_t offset = app->write_len - app->write_remaining;
    size_t len = min_size(app->write_remaining, console->tx_buf_len);
    err_t err = grant_ro_read(kd, CONSOLE_ALLOW_RO_WRITE, offset, console->tx_buf, len);
    if (err != ERR_OK) {
        return err; /* the allow shrank under the write */
    }
    size_t whole = len < app->write_remaining ? len : 0;
    while (whole > 0 && console->tx_buf[whole - 1] != '\n') {
        whole--;
    }
    if (whole > 0) {
        len = whole;
    }
    err = hil_uart_tx_transmit(console->tx, console->tx_buf, len);
    if (err != ERR_OK) {
        return err;
    }
    console->tx_buf = NULL;
    console->writer = pid;
    console->last_writer_index = pid.index;
    return ERR_OK;
}

static err_t start_pending_write(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct console_app *app = data;
    app->is_write_pending = false;
    err_t err = send_chunk(ctx, app, kd, grant_process(kd));
    if (err != ERR_OK) {
        finish_write(app, kd, err);
    }
    return ERR_OK;
}

static void start_next_writer(struct console *console)
{
    uint32_t attempts = 0;
    uint32_t limit = 1;
    while (!is_writing(console) && attempts < limit) {
        struct pick pick = { .is_read = false, .last = console->last_writer_index };
        grant_each(&console->grant, pick_pending, &pick);
        if (pick.count == 0) {
            return;
        }
        if (attempts == 0) {
            limit = pick.count; /* each attempt clears one pending write */
        }
        attempts++;
        struct process_id pid = pick.has_after ? pick.after : pick.first;
        console->last_writer_index = pid.index;
        err_t ignored = grant_enter(&console->grant, pid, start_pending_write, console);
        (void)ignored;
    }
}

static err_t continue_write(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct console_app *app = data;
    const struct completion_args *args = ctx;
    app->write_remaining -= min_size(args->len, app->write_remaining);
    if (args->status != ERR_OK) {
        finish_write(app, kd, args->status);
        return ERR_OK;
    }
    if (app->write_remaining == 0) {
        finish_write(app, kd, ERR_OK);
        return ERR_OK;
    }
    err_t err = send_chunk(args->console, app, kd, grant_process(kd));
    if (err != ERR_OK) {
        finish_write(app, kd, err);
    }
    return ERR_OK;
}

static void console_transmitted(struct hil_uart_tx_client *client, uint8_t *buf, size_t len,
                                err_t status)
{
    struct console *console = CONTAINER_OF(client, struct console, tx_client);
    struct completion_args args = { .console = console, .buf = buf, .len = len,
                                    .status = status };
    console->tx_buf = buf;
    /* ERR_INVAL: the writer died; its write is dropped and the next writer is served. */
    err_t ignored = grant_enter(&console->grant, console->writer, continue_write, &args);
    (void)ignored;
    start_next_writer(console);
}

static err_t command_write(struct console *console, struct console_app *app,
                           struct grant_kernel_data *kd, const struct command_args *args)
{
    if (app->is_write_pending || (is_writing(console) &&
                                  process_id_equal(console->writer, args->pid))) {
        return ERR_BUSY;
    }
    size_t len = min_size(args->arg, grant_ro_len(kd, CONSOLE_ALLOW_RO_WRITE));
    app->write_len = len;
    app->write_remaining = len;
    if (len == 0) {
        finish_write(app, kd, ERR_OK);
        return ERR_OK;
    }
    if (is_writing(console)) {
        app->is_write_pending = true;
        return ERR_OK;
    }
    err_t err = send_chunk(console, app, kd, args->pid);
    if (err != ERR_OK) {
        app->write_len = 0;
        app->write_remaining = 0;
    }
    return err;
}

/* ---------------------------------------------------------------- read */

static err_t start_read(struct console *console, size_t len, struct process_id pid)
{
    err_t err = hil_uart_rx_receive(console->rx, console->rx_buf, len);
    if (err != ERR_OK) {
        return err;
    }
    console->rx_buf = NULL;
    console->reader = pid;
    console->last_reader_index = pid.index;
    return ERR_OK;
}

static err_t start_pending_read(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct console_app *app = data;
    app->is_read_pending = false;
    err_t err = start_read(ctx, app->read_len, grant_process(kd));
    if (err != ERR_OK) {
        queue_upcall(kd, CONSOLE_SUBSCRIBE_READ_DONE, err, 0);
    }
    return ERR_OK;
}

static void start_next_reader(struct console *console)
{
    uint32_t attempts = 0;
    uint32_t limit = 1;
    while (!is_reading(console) && attempts < limit) {
        struct pick pick = { .is_read = true, .last = console->last_reader_index };
        grant_each(&console->grant, pick_pending, &pick);
        if (pick.count == 0) {
            return;
        }
        if (attempts == 0) {
            limit = pick.count; /* each attempt clears one pending read */
        }
        attempts++;
        struct process_id pid = pick.has_after ? pick.after : pick.first;
        console->last_reader_index = pid.index;
        err_t ignored = grant_enter(&console->grant, pid, start_pending_read, console);
        (void)ignored;
    }
}

static err_t deliver_read(void *data, struct grant_kernel_data *kd, void *ctx)
{
    const struct completion_args *args = ctx;
    (void)data;
    err_t status = ERR_FAIL;
    size_t len = 0;
    if (args->status == ERR_OK || args->status == ERR_CANCEL) {
        size_t room = grant_rw_len(kd, CONSOLE_ALLOW_RW_READ);
        len = min_size(args->len, room);
        status = args->status;
        if (args->len > room) {
            status = room == 0 ? ERR_NOMEM : ERR_SIZE;
        }
        if (len > 0 && grant_rw_write(kd, CONSOLE_ALLOW_RW_READ, 0, args->buf, len) != ERR_OK) {
            status = ERR_NOMEM;
            len = 0;
        }
    }
    queue_upcall(kd, CONSOLE_SUBSCRIBE_READ_DONE, status, len);
    return ERR_OK;
}

static void console_received(struct hil_uart_rx_client *client, uint8_t *buf, size_t len,
                             err_t status)
{
    struct console *console = CONTAINER_OF(client, struct console, rx_client);
    struct completion_args args = { .console = console, .buf = buf, .len = len,
                                    .status = status };
    console->rx_buf = buf;
    /* ERR_INVAL: the reader died; the bytes are dropped and the next reader is served. */
    err_t ignored = grant_enter(&console->grant, console->reader, deliver_read, &args);
    (void)ignored;
    start_next_reader(console);
}

static err_t command_read(struct console *console, struct console_app *app,
                          struct grant_kernel_data *kd, const struct command_args *args)
{
    app->has_read = true;
    if (app->is_read_pending || (is_reading(console) &&
                                 process_id_equal(console->reader, args->pid))) {
        return ERR_BUSY;
    }
    size_t len = min_size(args->arg, grant_rw_len(kd, CONSOLE_ALLOW_RW_READ));
    if (len > console->rx_buf_len) {
        return ERR_INVAL;
    }
    if (len == 0) {
        queue_upcall(kd, CONSOLE_SUBSCRIBE_READ_DONE, ERR_OK, 0);
        return ERR_OK;
    }
    app->read_len = len;
    if (is_reading(console)) {
        app->is_read_pending = true;
        return ERR_OK;
    }
    return start_read(console, len, args->pid);
}

static err_t command_abort_read(struct console *console, struct console_app *app,
                                struct grant_kernel_data *kd, const struct command_args *args)
{
    if (is_reading(console) && process_id_equal(console->reader, args->pid)) {
        /* ERR_OK: received() follows with CANCEL; ERR_ALREADY: its callback is due anyway. */
        err_t ignored = hil_uart_rx_abort(console->rx);
        (void)ignored;
    } else if (app->is_read_pending) {
        app->is_read_pending = false;
        queue_upcall(kd, CONSOLE_SUBSCRIBE_READ_DONE, ERR_CANCEL, 0);
    }
    return ERR_OK;
}

/* ---------------------------------------------------------------- syscalls */

static err_t command_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct console_app *app = data; /* valid only until we return */
    const struct command_args *args = ctx;
    switch (args->command_num) {
    case CONSOLE_CMD_WRITE:
        return command_write(args->console, app, kd, args);
    case CONSOLE_CMD_READ:
        return command_read(args->console, app, kd, args);
    case CONSOLE_CMD_ABORT_READ:
        return command_abort_read(args->console, app, kd, args);
    default:
        return ERR_NOSUPPORT;
    }
}

static struct syscall_return
console_command_result(struct syscall_driver *driver, uint32_t command_num, uint32_t arg0,
                       uint32_t arg1, struct process_id pid)
{
    struct console *console = CONTAINER_OF(driver, struct console, driver);
    (void)arg1;
    switch (command_num) {
    case CONSOLE_CMD_EXISTS:
        return syscall_success();
    case CONSOLE_CMD_WRITE:
    case CONSOLE_CMD_READ:
    case CONSOLE_CMD_ABORT_READ:
        break;
    default:
        return syscall_failure(ERR_NOSUPPORT);
    }
    struct command_args args = {
        .console = console, .command_num = command_num, .arg = arg0, .pid = pid,
    };
    err_t err = grant_enter(&console->grant, pid, command_in_grant, &args);
    if (command_num == CONSOLE_CMD_READ && is_reading(console) &&
        !grant_is_allocated(&console->grant, console->reader)) {
        /* The reader died holding the UART: stop its read so waiting readers are served. */
        err_t ignored = hil_uart_rx_abort(console->rx);
        (void)ignored;
    }
    return syscall_from_err(err);
}

static void console_command(struct syscall_driver *driver, uint32_t *regs, struct process_id pid)
{
    syscall_command_run(console_command_result, driver, regs, pid);
}

static void find_reader(struct process_id pid, void *data, struct grant_kernel_data *kd,
                        void *ctx)
{
    const struct console_app *app = data;
    bool *has_reader = ctx;
    (void)pid;
    (void)kd;
    *has_reader = *has_reader || app->has_read;
}

bool console_has_reader(struct console *console)
{
    bool has_reader = false;
    grant_each(&console->grant, find_reader, &has_reader);
    return has_reader;
}

static const struct syscall_driver_ops console_driver_ops = {
    .command = console_command,
};
static const struct hil_uart_tx_client_ops console_tx_client_ops = {
    .transmitted = console_transmitted,
};
static const struct hil_uart_rx_client_ops console_rx_client_ops = {
    .received = console_received,
};

err_t console_init(struct console *console, struct hil_uart_tx *tx, struct hil_uart_rx *rx,
                   uint8_t *tx_buf, size_t tx_buf_len, uint8_t *rx_buf, size_t rx_buf_len,
                   struct kernel *k)
{
    if (tx_buf == NULL || tx_buf_len == 0 || rx_buf == NULL || rx_buf_len == 0) {
        return ERR_SIZE;
    }
    *console = (struct console){
        .driver = { .ops = &console_driver_ops, .grant = &console->grant },
        .tx_client = { .ops = &console_tx_client_ops },
        .rx_client = { .ops = &console_rx_client_ops },
        .tx = tx,
        .rx = rx,
        .tx_buf = tx_buf,
        .tx_buf_len = tx_buf_len,
        .rx_buf = rx_buf,
        .rx_buf_len = rx_buf_len,
        .writer = { 0, 0 },
        .last_writer_index = CONSOLE_NO_PROCESS,
        .reader = { 0, 0 },
        .last_reader_index = CONSOLE_NO_PROCESS,
    };
    hil_uart_tx_set_client(tx, &console->tx_client);
    hil_uart_rx_set_client(rx, &console->rx_client);
    const struct grant_config config = {
        .driver_num = CONSOLE_DRIVER_NUM,
        .data_size = sizeof(struct console_app),
        .data_align = _Alignof(struct console_app),
        .upcalls = 3,
        .read_only = 2,
        .read_write = 2,
        .userspace_readable = 0,
    };
    return grant_create(&console->grant, k, &config);
}
