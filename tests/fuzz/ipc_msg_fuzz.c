/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * libFuzzer harness for the message IPC (kernel/ipc/ipc_msg*.c, ipc_name.c): everything a
 * process hands the kernel as a descriptor, token, lease selector, badge, name or buffer, sent
 * as real syscalls from the three processes of the host kernel fixture (kernel_fixture.h).
 *
 * Input: a sequence of 7-byte operations (the last one zero-padded): byte 0 low nibble picks
 * the operation, byte 0 >> 4 (mod 3) the process, bytes 1..6 its arguments: name allows and
 * name-registry commands, RO/RW allows (inside the caller's memory, another process's, its
 * flash, or nowhere), SEND/CANCEL/SERVE/RECV, REPLY/BORROW_* with the last token the process
 * received (or a mutation of it, or raw bits), POST/GRANT_POST/WATCH/SET_TIMER, raw commands,
 * taking queued events (as Yield-WaitFor would), another driver filling the upcall queue,
 * writing its own memory, advancing the alarm, and restarting or terminating a process.
 *
 * Checked after every operation, abort() on violation:
 *   - a command answers FAILURE / FAILURE_U32 / SUCCESS / SUCCESS_U32 / SUCCESS_2U32 with an
 *     ErrorCode 1..13; a FAILURE_U32 reason matches its code (UNINSTALLED: peer dead /
 *     restarted / not serving, FAIL: would deadlock, CANCEL: a reason 0..6);
 *   - an allow the kernel accepts lies in the caller's RAM below its break (or, read-only, in
 *     its flash image);
 *   - the kernel writes no byte of a process's memory below its kernel break except inside
 *     buffers that process allowed read-write;
 *   - at most one IPC_MSG upcall per (process, subscribe) is queued; a REPLY event arrives only
 *     for a call SEND accepted, carries a status that is OK (length <= IPC_MAX_MSG) or a
 *     failure with its reason; a RECV message's length is <= IPC_MAX_MSG;
 *   - at the end, once every server stops serving, each accepted call has had exactly one
 *     REPLY event (exactly-once completion).
 */
#include "kernel_fixture.h"

#include "fake_alarm.h"
#include "ipc/ipc_msg.h"
#include "ipc/ipc_name.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum {
    NAME = KERNEL_IPC_NAME_DRIVER_NUM,
    MSG = KERNEL_IPC_MSG_DRIVER_NUM,
    /* IPC_MSG command numbers (the ABI in ipc_msg.h). */
    CMD_SEND = 1,
    CMD_CANCEL = 2,
    CMD_SERVE = 10,
    CMD_RECV = 11,
    CMD_REPLY = 12,
    CMD_BORROW_READ = 13,
    CMD_BORROW_INFO = 15,
    CMD_POST = 20,
    CMD_POST_BADGE = 21,
    CMD_GRANT_POST = 22,
    CMD_SET_TIMER = 23,
    CMD_WATCH = 24,
    OP_BYTES = 7,
    APP_BRK = 2048,  /* fake_arch.initial_app_brk: the process's own memory */
    NAME_AT = 1536,  /* where name bytes are put before allowing them */
    MAX_OPS = 256,
};

static struct fixture fx;
static struct ipc_name names;
static struct ipc_msg msg;
static struct fake_alarm hw;
static struct driver_slot slots[FIX_DRIVERS + 2];

/* What the harness knows about each process. */
struct model {
    uint8_t shadow[FIX_RAM_SIZE];   /* expected bytes below the kernel break */
    uint8_t writable[FIX_RAM_SIZE]; /* 1 where a read-write allow ever covered the byte */
    bool has_call;                  /* SEND accepted, REPLY event not yet taken */
    uint32_t token;                 /* from the last RECV message event */
};
static struct model model[FIX_PROCS];
static bool verbose; /* IPC_MSG_FUZZ_VERBOSE=1: print every command and event (for seeds) */

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "ipc_msg_fuzz: invariant violated: %s\n", what);
        abort();
    }
}

static uint32_t u16_at(const uint8_t *x)
{
    return (uint32_t)x[0] | ((uint32_t)x[1] << 8);
}

static uint32_t u32_at(const uint8_t *x)
{
    return u16_at(x) | (u16_at(x + 2) << 16);
}

static void snapshot(uint32_t i)
{
    memcpy(model[i].shadow, fx.ram + i * FIX_RAM_SIZE, FIX_RAM_SIZE);
    memset(model[i].writable, 0, FIX_RAM_SIZE);
    model[i].has_call = false;
    model[i].token = 0;
}

static void subscribe_all(struct process *p)
{
    /* Fixed functions: re-subscribing a different one would drop a queued event by design. */
    fixture_syscall(&fx, p, CLASS_SUBSCRIBE, MSG, 0, 0x1001u, 0);
    fixture_syscall(&fx, p, CLASS_SUBSCRIBE, MSG, 1, 0x1101u, 0);
}

/* Give process i a package name in its flash header area (REGISTER with the TBF name). */
static void set_package_name(uint32_t i)
{
    static const char *const pkg[FIX_PROCS] = { "srv0", "cli1", "srv2" };
    uint8_t *at = fx.flash + i * FIX_FLASH_SIZE + 16u;
    memcpy(at, pkg[i], 4);
    fx.procs[i].package_name = at;
    fx.procs[i].package_name_len = 4;
}

static void setup(void)
{
    fixture_init_unloaded(&fx, (struct process_fault_policy){ .action = PROCESS_FAULT_STOP });
    const struct driver_slot extra[] = { { NAME, &names.driver }, { MSG, &msg.driver } };
    fixture_add_drivers(&fx, slots, extra, 2);
    fake_alarm_init(&hw, 1000000, 0xFFFF0000u);
    check(ipc_name_init(&names, &fx.k, ipc_name_allow_all) == ERR_OK, "ipc_name_init");
    check(ipc_msg_init(&msg, &fx.k, &names, &hw.alarm) == ERR_OK, "ipc_msg_init");
    fx.k.processes_loaded = true;
    fake_arch.initial_app_brk = APP_BRK;
    for (uint32_t i = 0; i < FIX_PROCS; i++) {
        struct process *p = fixture_running(&fx, i);
        set_package_name(i);
        subscribe_all(p);
        snapshot(i);
    }
}

static void run_deferred(void)
{
    for (int guard = 0; guard < 64 && deferred_call_has_pending(); guard++) {
        deferred_call_service();
    }
}

/* The kernel wrote nothing of process i's own memory outside its read-write allows. */
static void check_memory(uint32_t i)
{
    const struct process *p = &fx.procs[i];
    if (!process_is_alive(p)) {
        return;
    }
    const uint8_t *ram = fx.ram + i * FIX_RAM_SIZE;
    size_t below = (size_t)(p->kernel_brk - p->mem_start);
    check(below <= FIX_RAM_SIZE, "kernel break inside the process's RAM");
    if (memcmp(ram, model[i].shadow, below) == 0) {
        return; /* nothing changed (the common case) */
    }
    for (size_t b = 0; b < below; b++) {
        if (model[i].writable[b]) {
            model[i].shadow[b] = ram[b];
        } else if (ram[b] != model[i].shadow[b]) {
            fprintf(stderr, "process %u byte 0x%zx changed\n", (unsigned)i, b);
            check(0, "no write outside the process's read-write allows");
        }
    }
}

static uint32_t count_events(const struct process *p, uint32_t sub)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < p->queue.count; i++) {
        n += p->queue.tasks[i].driver_num == MSG && p->queue.tasks[i].subscribe_num == sub;
    }
    return n;
}

static void check_all(void)
{
    for (uint32_t i = 0; i < FIX_PROCS; i++) {
        check_memory(i);
        const struct process *p = &fx.procs[i];
        check(count_events(p, 0) <= 1 && count_events(p, 1) <= 1,
              "at most one IPC_MSG upcall per (process, subscribe) queued");
    }
}

static void check_reason(uint32_t err, uint32_t reason)
{
    check(reason <= IPC_CANCELLED, "a reason is one of enum ipc_reason");
    if (err == ERR_UNINSTALLED) {
        check(reason == IPC_PEER_DEAD || reason == IPC_PEER_RESTARTED ||
                  reason == IPC_NOT_SERVING,
              "UNINSTALLED: peer dead, restarted or not serving");
    } else if (err == ERR_FAIL) {
        check(reason == IPC_WOULD_DEADLOCK, "FAIL with a reason: would deadlock");
    } else {
        check(err == ERR_CANCEL, "FAILURE_U32 only with UNINSTALLED, FAIL or CANCEL");
    }
}

/* A command's answer has a documented shape. Returns the variant. */
static uint32_t check_command(const struct process *p)
{
    uint32_t v = p->context.regs[0];
    uint32_t err = p->context.regs[1];
    check(v == FAILURE || v == FAILURE_U32 || v == SUCCESS || v == SUCCESS_U32 ||
              v == SUCCESS_2U32,
          "a command returns a documented variant");
    if (v == FAILURE || v == FAILURE_U32) {
        check(err >= ERR_FAIL && err <= ERR_NOACK, "an ErrorCode 1..13");
    }
    if (v == FAILURE_U32) {
        check_reason(err, p->context.regs[2]);
    }
    return v;
}

/* Take p's queued IPC_MSG events (as Yield-WaitFor would) and check them. */
static void take_events(uint32_t i)
{
    struct process *p = &fx.procs[i];
    struct upcall_task task;
    while (upcall_queue_take_match(&p->queue, FIX_DRV_A, 0, &task)) {
    }
    while (upcall_queue_take_match(&p->queue, MSG, 0, &task)) {
        if (verbose) {
            fprintf(stderr, "p%u REPLY event (0x%x, 0x%x, 0x%x)\n", (unsigned)i,
                    (unsigned)task.args[0], (unsigned)task.args[1], (unsigned)task.args[2]);
        }
        check(model[i].has_call, "a REPLY event only for a call SEND accepted");
        model[i].has_call = false;
        uint32_t status = task.args[0];
        if (status == ERR_OK) {
            check((task.args[1] & ~0x80000000u) <= IPC_MAX_MSG, "reply length <= IPC_MAX_MSG");
        } else {
            check(status == ERR_UNINSTALLED || status == ERR_CANCEL,
                  "a failed call ends UNINSTALLED or CANCEL");
            check_reason(status, task.args[2]);
            check(task.args[1] == 0, "a failed call has no reply length");
        }
    }
    while (upcall_queue_take_match(&p->queue, MSG, 1, &task)) {
        if (verbose) {
            fprintf(stderr, "p%u RECV event (0x%x, 0x%x, 0x%x)\n", (unsigned)i,
                    (unsigned)task.args[0], (unsigned)task.args[1], (unsigned)task.args[2]);
        }
        if (task.args[0] != 0) {
            check((task.args[1] & 0xFFFFu) <= IPC_MAX_MSG, "message length <= IPC_MAX_MSG");
            model[i].token = task.args[0];
        } else {
            check(task.args[2] == 0, "a notification carries no badge");
        }
    }
}

/* Another driver's upcalls occupy `n` queue slots (IPC events must then wait in the grant). */
static void fill_queue(struct process *p, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++) {
        struct upcall_task filler = { .kind = UPCALL_FUNCTION, .driver_num = FIX_DRV_A,
                                      .subscribe_num = 0, .fn = 0x3001u };
        if (upcall_queue_push(&p->queue, &filler) != ERR_OK) {
            return;
        }
    }
}

/* An address and length for an allow, chosen by x[0..4]. */
static void pick_buffer(uint32_t i, const uint8_t *x, uint32_t *addr, uint32_t *len)
{
    const struct process *p = &fx.procs[i];
    uint32_t off = u16_at(x + 1);
    *len = u16_at(x + 3) % 320u;
    switch (x[0] % 8u) {
    case 5: /* its own flash image */
        *addr = u32(p->flash_start) + off % FIX_FLASH_SIZE;
        break;
    case 6: /* anywhere in the three processes' RAM, its grant region included */
        *addr = u32((uintptr_t)fx.ram) + off % (FIX_PROCS * FIX_RAM_SIZE);
        break;
    case 7: /* nothing */
        *addr = 0;
        *len = 0;
        break;
    default: /* its own memory (sometimes past the break) */
        *addr = u32(p->mem_start) + off % (APP_BRK + 256u);
        break;
    }
}

static void do_allow(uint32_t i, uint32_t class_num, uint32_t driver, uint32_t n, uint32_t addr,
                     uint32_t len)
{
    struct process *p = &fx.procs[i];
    uint32_t v = fixture_sys(&fx, p, class_num, driver, n, addr, len);
    check(v == SUCCESS_2U32 || v == 2u, "allow returns SUCCESS_2U32 or FAILURE_2U32");
    if (v != SUCCESS_2U32 || len == 0) {
        return;
    }
    uint64_t end = (uint64_t)addr + len;
    bool in_ram = addr >= p->mem_start && end <= p->app_brk;
    bool in_flash = addr >= p->flash_start && end <= p->flash_start + p->flash_size;
    if (class_num == CLASS_ALLOW_RW) {
        check(in_ram, "an accepted read-write allow lies in the caller's RAM below its break");
        memset(model[i].writable + (addr - p->mem_start), 1, len);
    } else {
        check(in_ram || in_flash, "an accepted read-only allow lies in the caller's RAM or flash");
    }
}

static uint32_t badge_of(uint32_t i)
{
    return ipc_badge(fx.procs[i % FIX_PROCS].pid);
}

/* A token: the last one this process received, a mutation of it, or raw bits. */
static uint32_t pick_token(uint32_t i, const uint8_t *x)
{
    switch (x[0] % 4u) {
    case 0:
    case 1:
        return model[i].token;
    case 2:
        return model[i].token ^ ((uint32_t)x[1] << (8u * (x[2] % 4u)));
    default:
        return u32_at(x + 1);
    }
}

static void command(uint32_t i, uint32_t driver, uint32_t num, uint32_t a0, uint32_t a1)
{
    struct process *p = &fx.procs[i];
    fixture_syscall(&fx, p, CLASS_COMMAND, driver, num, a0, a1);
    uint32_t v = check_command(p);
    if (verbose) {
        fprintf(stderr, "p%u %s %2u(0x%x, 0x%x) -> %u 0x%x 0x%x\n", (unsigned)i,
                driver == MSG ? "msg " : "name", (unsigned)num, (unsigned)a0, (unsigned)a1,
                (unsigned)v, (unsigned)p->context.regs[1], (unsigned)p->context.regs[2]);
    }
    if (driver == MSG && num == CMD_SEND && v == SUCCESS) {
        check(!model[i].has_call, "one outstanding call per process");
        model[i].has_call = true;
    }
    if (driver == MSG && (num == CMD_REPLY || num == CMD_RECV) &&
        v == SUCCESS_U32) {
        check(p->context.regs[1] <= 1u, "REPLY / RECV answer 0 or 1");
    }
}

static void lifecycle(uint32_t i, uint8_t how)
{
    struct process *p = &fx.procs[i];
    if (how % 2u == 0) {
        process_restart(&fx.k, p);
        run_deferred();
        if (p->state == PROCESS_YIELDED) {
            fixture_make_running(p);
            subscribe_all(p);
        }
    } else {
        process_terminate(&fx.k, p, 0);
        run_deferred();
    }
    snapshot(i);
}

static void run_op(const uint8_t *op)
{
    uint32_t i = (uint32_t)(op[0] >> 4) % FIX_PROCS;
    const uint8_t *x = op + 1;
    struct process *p = &fx.procs[i];
    uint32_t kind = op[0] & 0x0Fu;
    if (kind == 13) {
        lifecycle(i, x[0]);
        return;
    }
    if (kind == 12) {
        (void)fake_alarm_advance(&hw, u32_at(x) & 0x00FFFFFFu);
        return;
    }
    if (!process_is_alive(p) || p->state != PROCESS_RUNNING) {
        return; /* only a running process makes syscalls */
    }
    uint32_t addr, len;
    switch (kind) {
    case 0: { /* a name in RO allow 0 of the registry */
        static const char *const known[] = { "srv0", "srv2", "cli1" };
        uint32_t n = x[0] % 4u < 3u ? 4u : 1u + x[1] % 5u;
        const uint8_t *text = x[0] % 4u < 3u ? (const uint8_t *)known[x[0] % 4u] : x + 1;
        memcpy(fx.ram + i * FIX_RAM_SIZE + NAME_AT, text, n);
        memcpy(model[i].shadow + NAME_AT, text, n);
        do_allow(i, CLASS_ALLOW_RO, NAME, 0, u32(p->mem_start) + NAME_AT, n);
        break;
    }
    case 1: /* registry: REGISTER, UNREGISTER, LOOKUP, REOPEN, CLOSE, SELF_BADGE, DESC_STATUS */
        command(i, NAME, x[0] % 9u, (x[2] & 0x80u) ? u32_at(x + 2) : x[1] % 10u, x[2] & 3u);
        break;
    case 2:
        pick_buffer(i, x + 1, &addr, &len);
        do_allow(i, CLASS_ALLOW_RO, (x[0] & 8u) ? NAME : MSG, x[0] % 8u, addr, len);
        break;
    case 3:
        pick_buffer(i, x + 1, &addr, &len);
        do_allow(i, CLASS_ALLOW_RW, MSG, x[0] % 8u, addr, len);
        break;
    case 4: /* SEND(desc | opcode << 16, timeout) */
        command(i, MSG, CMD_SEND, (x[0] % 10u) | (u16_at(x + 1) << 16),
                x[3] % 4u == 0 ? 0 : x[4]);
        break;
    case 5: /* SERVE(on) / RECV(mask, badge) / CANCEL */
        switch (x[0] % 3u) {
        case 0:
            command(i, MSG, CMD_SERVE, x[1] & 1u, 0);
            break;
        case 1:
            command(i, MSG, CMD_RECV, x[1], x[2] % 2u ? badge_of(x[3]) : 0);
            break;
        default:
            command(i, MSG, CMD_CANCEL, 0, 0);
            break;
        }
        break;
    case 6: /* REPLY(token, code) */
        command(i, MSG, CMD_REPLY, pick_token(i, x), x[5]);
        break;
    case 7: { /* BORROW_READ / BORROW_WRITE (lease << 24 | offset), BORROW_INFO, CLIENT_INFO */
        uint32_t num = CMD_BORROW_READ + x[4] % 4u;
        uint32_t a1 = num == CMD_BORROW_INFO ? x[5] % 6u
                                                     : ((uint32_t)(x[5] % 6u) << 24) | x[3];
        command(i, MSG, num, pick_token(i, x), a1);
        break;
    }
    case 8: { /* POST, POST_BADGE, GRANT_POST, SET_TIMER, WATCH */
        static const uint32_t nums[] = { CMD_POST, CMD_POST_BADGE,
                                         CMD_GRANT_POST, CMD_SET_TIMER,
                                         CMD_WATCH };
        uint32_t num = nums[x[0] % 5u];
        uint32_t a0 = num == CMD_POST_BADGE ? (x[1] % 2u ? badge_of(x[2]) : u16_at(x + 1))
                                                    : x[1] % 10u;
        command(i, MSG, num, a0, u16_at(x + 3) | ((uint32_t)x[5] << 24));
        break;
    }
    case 9: /* raw command */
        command(i, MSG, x[0], u16_at(x + 1) | ((uint32_t)x[5] << 24), u16_at(x + 3));
        break;
    case 10:
        take_events(i);
        break;
    case 11: { /* the process writes its own memory */
        uint32_t off = u16_at(x) % APP_BRK;
        uint32_t n = x[2] % 64u;
        n = n < APP_BRK - off ? n : APP_BRK - off;
        memset(fx.ram + i * FIX_RAM_SIZE + off, x[3], n);
        memset(model[i].shadow + off, x[3], n);
        break;
    }
    case 14: /* the registry's LOOKUP_DONE subscription */
        fixture_syscall(&fx, p, CLASS_SUBSCRIBE, NAME, 0, x[0] % 2u ? 0x2001u : 0, 0);
        break;
    default:
        if (x[0] % 2u == 0) {
            (void)fake_alarm_fire_if_due(&hw);
        } else {
            fill_queue(p, 1u + x[1] % UPCALL_QUEUE_CAPACITY);
        }
        break;
    }
}

/* Every server stops serving; then each accepted call must have had its one REPLY event. */
static void finish(void)
{
    for (uint32_t i = 0; i < FIX_PROCS; i++) {
        if (fx.procs[i].state == PROCESS_RUNNING) {
            command(i, MSG, CMD_SERVE, 0, 0);
        }
    }
    run_deferred();
    for (uint32_t round = 0; round < 3; round++) {
        for (uint32_t i = 0; i < FIX_PROCS; i++) {
            if (fx.procs[i].state == PROCESS_RUNNING) {
                take_events(i);
                command(i, MSG, 99, 0, 0); /* any command re-queues a held event */
                take_events(i);
            }
        }
        run_deferred();
        check_all();
    }
    for (uint32_t i = 0; i < FIX_PROCS; i++) {
        if (fx.procs[i].state == PROCESS_RUNNING) {
            check(!model[i].has_call, "every accepted call gets exactly one REPLY event");
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    verbose = getenv("IPC_MSG_FUZZ_VERBOSE") != NULL;
    setup();
    for (size_t at = 0, ops = 0; at < size && ops < MAX_OPS; at += OP_BYTES, ops++) {
        uint8_t op[OP_BYTES] = { 0 };
        memcpy(op, data + at, size - at < OP_BYTES ? size - at : OP_BYTES);
        run_op(op);
        run_deferred();
        check_all();
    }
    finish();
    fixture_fini(&fx);
    return 0;
}
