/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * libFuzzer harness for the message queues (kernel/ipc/ipc_queue.c, on ipc_name.c and
 * ipc_msg*.c): every descriptor, size, depth, wait, right and buffer a process hands the kernel,
 * sent as real syscalls from the three processes of the host kernel fixture (kernel_fixture.h).
 *
 * Input: a sequence of 6-byte operations (the last one zero-padded): byte 0 low nibble picks
 * the operation, byte 0 >> 4 (mod 3) the process, bytes 1..5 its arguments: CREATE, DESTROY,
 * register / look up the queue's name, GRANT_SEND, NOTIFY, RO / RW allows (inside the caller's
 * memory, another process's, its flash, or nowhere), SEND, RECV, CANCEL, raw commands, taking
 * queued events (as Yield-WaitFor would), the process writing its own memory, advancing the
 * alarm, and restarting or terminating a process.
 *
 * Checked after every operation, abort() on violation:
 *   - a command answers FAILURE / FAILURE_U32 / SUCCESS / SUCCESS_U32 / SUCCESS_2U32 with an
 *     ErrorCode 1..13; a FAILURE_U32 is UNINSTALLED with PEER_DEAD / PEER_RESTARTED /
 *     NOT_SERVING;
 *   - the kernel writes no byte of a process's memory below its kernel break except inside
 *     buffers that process allowed read-write;
 *   - at most one SENT and one RECEIVED event per process is queued (a new SEND / RECV waits
 *     until the last one is collected); a SENT event arrives only for a SEND the kernel held,
 *     with OK, SIZE, CANCEL (TIMEOUT / CANCELLED) or UNINSTALLED;
 *   - at the end, once every queue is destroyed, each held SEND of a live process has had
 *     exactly one SENT event.
 */
#include "kernel_fixture.h"

#include "fake_alarm.h"
#include "ipc/ipc_msg.h"
#include "ipc/ipc_name.h"
#include "ipc/ipc_queue.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum {
    NAME = KERNEL_IPC_NAME_DRIVER_NUM,
    MSG = KERNEL_IPC_MSG_DRIVER_NUM,
    QUEUE = KERNEL_IPC_QUEUE_DRIVER_NUM,
    CMD_CREATE = 1,
    CMD_DESTROY = 2,
    CMD_GRANT_SEND = 3,
    CMD_NOTIFY = 4,
    CMD_SEND = 10,
    CMD_CANCEL = 11,
    CMD_RECV = 20,
    NAME_REGISTER = 1,
    NAME_LOOKUP = 3,
    NAME_REOPEN = 4,
    OP_BYTES = 6,
    APP_BRK = 2048, /* fake_arch.initial_app_brk: the process's own memory */
    NAME_AT = 1536, /* where the name bytes are put before allowing them */
    MAX_OPS = 256,
};

static struct fixture fx;
static struct ipc_name names;
static struct ipc_msg msg;
static struct ipc_queue queue;
static struct fake_alarm hw;
static struct driver_slot slots[FIX_DRIVERS + 3];

struct model {
    uint8_t shadow[FIX_RAM_SIZE];   /* expected bytes below the kernel break */
    uint8_t writable[FIX_RAM_SIZE]; /* 1 where a read-write allow ever covered the byte */
    uint32_t held;                  /* SENDs answered "held" whose SENT event is not taken */
};
static struct model model[FIX_PROCS];
static bool verbose; /* IPC_QUEUE_FUZZ_VERBOSE=1: print every command and event */

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "ipc_queue_fuzz: invariant violated: %s\n", what);
        abort();
    }
}

static uint32_t u16_at(const uint8_t *x)
{
    return (uint32_t)x[0] | ((uint32_t)x[1] << 8);
}

static void snapshot(uint32_t i)
{
    memcpy(model[i].shadow, fx.ram + i * FIX_RAM_SIZE, FIX_RAM_SIZE);
    memset(model[i].writable, 0, FIX_RAM_SIZE);
    model[i].held = 0;
}

static void setup(void)
{
    fixture_init_unloaded(&fx, (struct process_fault_policy){ .action = PROCESS_FAULT_STOP });
    const struct driver_slot extra[] = { { NAME, &names.driver },
                                         { MSG, &msg.driver },
                                         { QUEUE, &queue.driver } };
    fixture_add_drivers(&fx, slots, extra, 3);
    fake_alarm_init(&hw, 1000000, 0xFFFF0000u);
    check(ipc_name_init(&names, &fx.k, ipc_name_allow_all) == ERR_OK, "ipc_name_init");
    check(ipc_msg_init(&msg, &fx.k, &names, &hw.alarm) == ERR_OK, "ipc_msg_init");
    check(ipc_queue_init(&queue, &fx.k, &names, &msg) == ERR_OK, "ipc_queue_init");
    fx.k.processes_loaded = true;
    fake_arch.initial_app_brk = APP_BRK;
    for (uint32_t i = 0; i < FIX_PROCS; i++) {
        (void)fixture_running(&fx, i);
        snapshot(i);
    }
}

static void run_deferred(void)
{
    for (int guard = 0; guard < 64 && deferred_call_has_pending(); guard++) {
        deferred_call_service();
    }
}

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
        return;
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
        n += p->queue.tasks[i].driver_num == QUEUE && p->queue.tasks[i].subscribe_num == sub;
    }
    return n;
}

static void check_all(void)
{
    for (uint32_t i = 0; i < FIX_PROCS; i++) {
        check_memory(i);
        const struct process *p = &fx.procs[i];
        check(count_events(p, 0) <= 1 && count_events(p, 1) <= 1,
              "at most one SENT and one RECEIVED event per process queued");
    }
}

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
        uint32_t reason = p->context.regs[2];
        check(err != ERR_UNINSTALLED || reason == IPC_PEER_DEAD ||
                  reason == IPC_PEER_RESTARTED || reason == IPC_NOT_SERVING,
              "UNINSTALLED: peer dead, restarted or not serving");
    }
    return v;
}

static void take_events(uint32_t i)
{
    struct process *p = &fx.procs[i];
    struct upcall_task task;
    while (upcall_queue_take_match(&p->queue, QUEUE, 0, &task)) {
        if (verbose) {
            fprintf(stderr, "p%u SENT (0x%x, 0x%x, 0x%x)\n", (unsigned)i,
                    (unsigned)task.args[0], (unsigned)task.args[1], (unsigned)task.args[2]);
        }
        check(model[i].held != 0, "a SENT event only for a held SEND");
        model[i].held--;
        uint32_t status = task.args[0], reason = task.args[2];
        check(status == ERR_OK || status == ERR_SIZE ||
                  (status == ERR_CANCEL && (reason == IPC_TIMEOUT || reason == IPC_CANCELLED)) ||
                  (status == ERR_UNINSTALLED &&
                   (reason == IPC_PEER_DEAD || reason == IPC_PEER_RESTARTED ||
                    reason == IPC_NOT_SERVING)),
              "a SENT event's status and reason");
    }
    while (upcall_queue_take_match(&p->queue, QUEUE, 1, &task)) {
        uint32_t status = task.args[0];
        check(status == ERR_OK || status == ERR_SIZE || status == ERR_CANCEL,
              "a RECEIVED event's status");
        check(status != ERR_OK || task.args[1] != 0, "a message has its sender's badge");
    }
    while (upcall_queue_take_match(&p->queue, MSG, 1, &task)) {
    }
}

static void pick_buffer(uint32_t i, const uint8_t *x, uint32_t *addr, uint32_t *len)
{
    const struct process *p = &fx.procs[i];
    uint32_t off = u16_at(x + 1);
    *len = x[3] % 160u;
    switch (x[0] % 8u) {
    case 5:
        *addr = u32(p->flash_start) + off % FIX_FLASH_SIZE;
        break;
    case 6:
        *addr = u32((uintptr_t)fx.ram) + off % (FIX_PROCS * FIX_RAM_SIZE);
        break;
    case 7:
        *addr = 0;
        *len = 0;
        break;
    default:
        *addr = u32(p->mem_start) + off % (APP_BRK + 256u);
        break;
    }
}

static void do_allow(uint32_t i, uint32_t class_num, uint32_t driver, uint32_t addr, uint32_t len)
{
    struct process *p = &fx.procs[i];
    uint32_t v = fixture_sys(&fx, p, class_num, driver, 0, addr, len);
    check(v == SUCCESS_2U32 || v == 2u, "allow returns SUCCESS_2U32 or FAILURE_2U32");
    if (v == SUCCESS_2U32 && len != 0 && class_num == CLASS_ALLOW_RW) {
        check(addr >= p->mem_start && (uint64_t)addr + len <= p->app_brk,
              "an accepted read-write allow lies in the caller's RAM below its break");
        memset(model[i].writable + (addr - p->mem_start), 1, len);
    }
}

static void command(uint32_t i, uint32_t driver, uint32_t num, uint32_t a0, uint32_t a1)
{
    struct process *p = &fx.procs[i];
    fixture_syscall(&fx, p, CLASS_COMMAND, driver, num, a0, a1);
    uint32_t v = check_command(p);
    if (verbose) {
        fprintf(stderr, "p%u %x %2u(0x%x, 0x%x) -> %u 0x%x 0x%x\n", (unsigned)i,
                (unsigned)driver, (unsigned)num, (unsigned)a0, (unsigned)a1, (unsigned)v,
                (unsigned)p->context.regs[1], (unsigned)p->context.regs[2]);
    }
    if (driver == QUEUE && num == CMD_SEND && v == SUCCESS_U32) {
        check(p->context.regs[1] <= 1u, "SEND answers 0 (queued) or 1 (held)");
        model[i].held += p->context.regs[1];
    }
}

static void lifecycle(uint32_t i, uint8_t how)
{
    struct process *p = &fx.procs[i];
    if (verbose) {
        fprintf(stderr, "p%u %s\n", (unsigned)i, how % 2u == 0 ? "restart" : "terminate");
    }
    if (how % 2u == 0) {
        process_restart(&fx.k, p);
        run_deferred();
        if (p->state == PROCESS_YIELDED) {
            fixture_make_running(p);
        }
    } else {
        process_terminate(&fx.k, p, 0);
        run_deferred();
    }
    snapshot(i);
}

static uint32_t pick_wait(const uint8_t *x)
{
    switch (x[0] % 4u) {
    case 0:
        return 0;
    case 1:
        return IPC_QUEUE_FOREVER;
    default:
        return x[1];
    }
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
        (void)fake_alarm_advance(&hw, u16_at(x) * 16u);
        return;
    }
    if (!process_is_alive(p) || p->state != PROCESS_RUNNING) {
        return;
    }
    uint32_t addr, len;
    switch (kind) {
    case 0: /* CREATE(endpoint, size | depth << 16) */
        command(i, QUEUE, CMD_CREATE, x[0] % 3u, (x[1] % 48u) | ((uint32_t)(x[2] % 20u) << 16));
        break;
    case 1: { /* the name "q" or "r" in RO allow 0 of the registry, then REGISTER / LOOKUP /
               * REOPEN */
        const char text = x[0] % 2u ? 'q' : 'r';
        fx.ram[i * FIX_RAM_SIZE + NAME_AT] = (uint8_t)text;
        model[i].shadow[NAME_AT] = (uint8_t)text;
        do_allow(i, CLASS_ALLOW_RO, NAME, u32(p->mem_start) + NAME_AT, 1);
        static const uint32_t nums[] = { NAME_REGISTER, NAME_LOOKUP, NAME_REOPEN };
        uint32_t num = nums[x[1] % 3u];
        command(i, NAME, num, num == NAME_REOPEN ? x[2] % 4u : x[2] % 3u, 0);
        break;
    }
    case 2:
        pick_buffer(i, x + 1, &addr, &len);
        do_allow(i, CLASS_ALLOW_RO, QUEUE, addr, len);
        break;
    case 3:
        pick_buffer(i, x + 1, &addr, &len);
        do_allow(i, CLASS_ALLOW_RW, QUEUE, addr, len);
        break;
    case 4: /* SEND(desc, wait) */
        command(i, QUEUE, CMD_SEND, x[2] % 8u ? x[2] % 5u : u16_at(x + 3), pick_wait(x));
        break;
    case 5: /* RECV(wait) */
        command(i, QUEUE, CMD_RECV, pick_wait(x), 0);
        break;
    case 6: /* GRANT_SEND(desc or 0, on) */
        command(i, QUEUE, CMD_GRANT_SEND, x[0] % 4u, x[1] & 1u);
        break;
    case 7:
        command(i, QUEUE, x[0] % 2u ? CMD_CANCEL : CMD_DESTROY, 0, 0);
        break;
    case 8: /* NOTIFY(bits), and an IPC_MSG RECV for them */
        command(i, QUEUE, CMD_NOTIFY, x[0], 0);
        command(i, MSG, 11, x[1], 0);
        break;
    case 9:
        command(i, QUEUE, x[0], u16_at(x + 1), u16_at(x + 3));
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
    default:
        (void)fake_alarm_fire_if_due(&hw);
        break;
    }
}

/* Every queue is destroyed; then each held SEND must have had its one SENT event. */
static void finish(void)
{
    for (uint32_t i = 0; i < FIX_PROCS; i++) {
        if (fx.procs[i].state == PROCESS_RUNNING) {
            take_events(i);
            command(i, QUEUE, CMD_DESTROY, 0, 0);
        }
    }
    run_deferred();
    for (uint32_t i = 0; i < FIX_PROCS; i++) {
        if (fx.procs[i].state == PROCESS_RUNNING) {
            take_events(i);
            check(model[i].held == 0, "every held SEND gets exactly one SENT event");
        }
    }
    check_all();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    verbose = getenv("IPC_QUEUE_FUZZ_VERBOSE") != NULL;
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
