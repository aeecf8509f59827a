/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * bench_syscall: the single-process benchmarks of `make bench` (bench/README.md).
 *
 * In order:
 *   1. grant bytes per driver: the kernel break (memop 6) before and after the first subscribe
 *      (null upcall) to each driver number in capsules/driver_num.h; this runs first, before
 *      anything else touches a driver, so every driver's grant is allocated here;
 *   2. marked operations, each run twice (tools/bench.py uses the second, the first allocates
 *      and warms up): null command (alarm driver, command 0), yield-no-wait with nothing
 *      pending, subscribe + command that queues an upcall (alarm command 5 with dt 0) +
 *      yield-wait to the upcall's first instruction, and an alarm 1 ms ahead with yield-wait:
 *      from the CPU's wake-up to the upcall's first instruction;
 *      Then the raw loop: 16 commands to a driver that does not exist, in hand-written
 *      assembly (the figure is the last one);
 *   3. the same null command, yield-no-wait and an empty loop, LOOP_N times each between two
 *      reads of the alarm counter: the cross-check of the instruction counts against QEMU's
 *      -icount virtual clock;
 *   4. the results.
 * The boot figure (reset to this app's first instruction) needs no code: tools/bench.py marks
 * _start.
 *
 * Expected output: `bench grant <driver> <number> <break before> <break after>` (or `absent`)
 * per driver, `bench frequency <hz>`,
 * `bench timer <empty|command|yield> <N> <ticks>`, `bench bench_syscall done`.
 *
 * Invariants: nothing is printed before the measurements end.
 */
#include "bench/common/bench.h"

#include "../../../capsules/include/capsules/driver_num.h"

/* Loop iterations for the timer cross-check: its error is below 2 ticks / LOOP_N per operation
 * (0.01 instructions on mps2, 0.03 on virt) and the longest loop (8192 RISC-V null commands,
 * ~7 ms of virtual time) fits in one 10 ms timeslice. */
#define LOOP_N 8192u

void bench_null_command(void);
void bench_yield_no_wait(void);
void bench_upcall_chain(void (*upcall)(void));
void bench_upcall_fn(void);
void bench_alarm_wait(void (*upcall)(void), uint32_t dt);
void bench_alarm_fn(void);
void bench_loop_empty(uint32_t n);
void bench_loop_command(uint32_t n);
void bench_loop_yield(uint32_t n);
void bench_raw_missing(uint32_t n);

/*
 * The measured code, one copy per architecture (same operations, same markers).
 *
 * SAFETY: plain AAPCS / RISC-V psABI functions: they change only caller-saved registers (and
 * r4 / s0, which they save), keep the stack balanced, and make the system calls with the class
 * in the `svc` immediate (Thumb) or a4 (RISC-V). A yield-wait may run the upcall passed in, an
 * AAPCS function that returns to the instruction after the `svc`/`ecall` (kernel-built frame).
 */
#if defined(__thumb__)
__asm__(
    /* Null command: command(alarm, 0 = exists, 0, 0). */
    BENCH_FUNC(bench_null_command)
    "movs r0, #0\n movs r1, #0\n movs r2, #0\n movs r3, #0\n"
    BENCH_MARK(null_command_svc) "svc 2\n"
    BENCH_MARK(null_command_ret) "bx lr\n"
    BENCH_END(bench_null_command)

    /* Yield-no-wait, no result address. */
    BENCH_FUNC(bench_yield_no_wait)
    "movs r0, #0\n movs r1, #0\n"
    BENCH_MARK(yield_no_wait_svc) "svc 0\n"
    BENCH_MARK(yield_no_wait_ret) "bx lr\n"
    BENCH_END(bench_yield_no_wait)

    /* r0 = upcall: subscribe(alarm, 0, upcall, 0); command(alarm, 5, 0, 0); yield-wait. */
    BENCH_FUNC(bench_upcall_chain)
    "push {r4, lr}\n mov r2, r0\n movs r0, #0\n movs r1, #0\n movs r3, #0\n"
    BENCH_MARK(subscribe_svc) "svc 1\n"
    BENCH_MARK(subscribe_ret) "movs r0, #0\n movs r1, #5\n movs r2, #0\n movs r3, #0\n"
    BENCH_MARK(trigger_svc) "svc 2\n"
    BENCH_MARK(trigger_ret) "movs r0, #1\n"
    BENCH_MARK(yield_wait_svc) "svc 0\n"
    "pop {r4, pc}\n"
    BENCH_END(bench_upcall_chain)

    BENCH_FUNC(bench_upcall_fn)
    BENCH_MARK(upcall_first) "bx lr\n"
    BENCH_END(bench_upcall_fn)

    /* r0 = upcall, r1 = dt: subscribe(alarm, 0, upcall, 0); command(alarm, 5, dt, 0);
     * yield-wait. */
    BENCH_FUNC(bench_alarm_wait)
    "push {r4, lr}\n mov r4, r1\n mov r2, r0\n movs r0, #0\n movs r1, #0\n movs r3, #0\n"
    "svc 1\n"
    "movs r0, #0\n movs r1, #5\n mov r2, r4\n movs r3, #0\n svc 2\n"
    "movs r0, #1\n"
    BENCH_MARK(alarm_yield_svc) "svc 0\n"
    "pop {r4, pc}\n"
    BENCH_END(bench_alarm_wait)

    BENCH_FUNC(bench_alarm_fn)
    BENCH_MARK(alarm_upcall_first) "bx lr\n"
    BENCH_END(bench_alarm_fn)

    /* r0 = n iterations of the same loop, with nothing / command 0 / yield-no-wait. */
    BENCH_FUNC(bench_loop_empty)
    "push {r4, lr}\n mov r4, r0\n"
    "1: movs r0, #0\n movs r1, #0\n subs r4, #1\n bne 1b\n pop {r4, pc}\n"
    BENCH_END(bench_loop_empty)

    BENCH_FUNC(bench_loop_command)
    "push {r4, lr}\n mov r4, r0\n"
    "1: movs r0, #0\n movs r1, #0\n svc 2\n subs r4, #1\n bne 1b\n pop {r4, pc}\n"
    BENCH_END(bench_loop_command)

    BENCH_FUNC(bench_loop_yield)
    "push {r4, lr}\n mov r4, r0\n"
    "1: movs r0, #0\n movs r1, #0\n svc 0\n subs r4, #1\n bne 1b\n pop {r4, pc}\n"
    BENCH_END(bench_loop_yield)

    /* The raw syscall loop: r0 = n commands to driver 0xDEAD, which no
     * board has. Per iteration: 2 loop instructions, the svc round trip, 2 loop instructions. */
    BENCH_FUNC(bench_raw_missing)
    "push {r4, lr}\n mov r4, r0\n"
    "1: movw r0, #0xDEAD\n movs r1, #0\n"
    BENCH_MARK(raw_missing_svc) "svc 2\n"
    BENCH_MARK(raw_missing_ret) "subs r4, #1\n bne 1b\n pop {r4, pc}\n"
    BENCH_END(bench_raw_missing));
#else
__asm__(
    BENCH_FUNC(bench_null_command)
    "li a0, 0\n li a1, 0\n li a2, 0\n li a3, 0\n li a4, 2\n"
    BENCH_MARK(null_command_svc) "ecall\n"
    BENCH_MARK(null_command_ret) "ret\n"
    BENCH_END(bench_null_command)

    BENCH_FUNC(bench_yield_no_wait)
    "li a0, 0\n li a1, 0\n li a4, 0\n"
    BENCH_MARK(yield_no_wait_svc) "ecall\n"
    BENCH_MARK(yield_no_wait_ret) "ret\n"
    BENCH_END(bench_yield_no_wait)

    BENCH_FUNC(bench_upcall_chain)
    "addi sp, sp, -16\n sw ra, 12(sp)\n"
    "mv a2, a0\n li a0, 0\n li a1, 0\n li a3, 0\n li a4, 1\n"
    BENCH_MARK(subscribe_svc) "ecall\n"
    BENCH_MARK(subscribe_ret) "li a0, 0\n li a1, 5\n li a2, 0\n li a3, 0\n li a4, 2\n"
    BENCH_MARK(trigger_svc) "ecall\n"
    BENCH_MARK(trigger_ret) "li a0, 1\n li a4, 0\n"
    BENCH_MARK(yield_wait_svc) "ecall\n"
    "lw ra, 12(sp)\n addi sp, sp, 16\n ret\n"
    BENCH_END(bench_upcall_chain)

    BENCH_FUNC(bench_upcall_fn)
    BENCH_MARK(upcall_first) "ret\n"
    BENCH_END(bench_upcall_fn)

    BENCH_FUNC(bench_alarm_wait)
    "addi sp, sp, -16\n sw ra, 12(sp)\n sw s0, 8(sp)\n mv s0, a1\n"
    "mv a2, a0\n li a0, 0\n li a1, 0\n li a3, 0\n li a4, 1\n ecall\n"
    "li a0, 0\n li a1, 5\n mv a2, s0\n li a3, 0\n li a4, 2\n ecall\n"
    "li a0, 1\n li a4, 0\n"
    BENCH_MARK(alarm_yield_svc) "ecall\n"
    "lw s0, 8(sp)\n lw ra, 12(sp)\n addi sp, sp, 16\n ret\n"
    BENCH_END(bench_alarm_wait)

    BENCH_FUNC(bench_alarm_fn)
    BENCH_MARK(alarm_upcall_first) "ret\n"
    BENCH_END(bench_alarm_fn)

    /* a0 = n iterations of the same loop, with nothing / command 0 / yield-no-wait; the kernel
     * preserves t0 and a4 across ecall. */
    BENCH_FUNC(bench_loop_empty)
    "mv t0, a0\n li a4, 2\n"
    "1: li a0, 0\n li a1, 0\n addi t0, t0, -1\n bnez t0, 1b\n ret\n"
    BENCH_END(bench_loop_empty)

    BENCH_FUNC(bench_loop_command)
    "mv t0, a0\n li a4, 2\n"
    "1: li a0, 0\n li a1, 0\n ecall\n addi t0, t0, -1\n bnez t0, 1b\n ret\n"
    BENCH_END(bench_loop_command)

    BENCH_FUNC(bench_loop_yield)
    "mv t0, a0\n li a4, 0\n"
    "1: li a0, 0\n li a1, 0\n ecall\n addi t0, t0, -1\n bnez t0, 1b\n ret\n"
    BENCH_END(bench_loop_yield)

    /* The raw syscall loop (see the Thumb copy); `li a0, 0xDEAD` is lui + addi. */
    BENCH_FUNC(bench_raw_missing)
    "mv t0, a0\n li a4, 2\n"
    "1: li a0, 0xDEAD\n li a1, 0\n"
    BENCH_MARK(raw_missing_svc) "ecall\n"
    BENCH_MARK(raw_missing_ret) "addi t0, t0, -1\n bnez t0, 1b\n ret\n"
    BENCH_END(bench_raw_missing));
#endif

struct driver_probe {
    const char *name;
    uint32_t num;
};

static const struct driver_probe drivers[] = {
    { "alarm", ALARM_DRIVER_NUM },
    { "console", CONSOLE_DRIVER_NUM },
    { "led", LED_DRIVER_NUM },
    { "button", BUTTON_DRIVER_NUM },
    { "gpio", GPIO_DRIVER_NUM },
    { "low_level_debug", LOW_LEVEL_DEBUG_DRIVER_NUM },
    { "read_only_state", READ_ONLY_STATE_DRIVER_NUM },
    { "ipc", IPC_DRIVER_NUM },
    { "process_info", PROCESS_INFO_DRIVER_NUM },
    { "rng", RNG_DRIVER_NUM },
    { "hmac", HMAC_DRIVER_NUM },
    { "sha", SHA_DRIVER_NUM },
    { "aes", AES_DRIVER_NUM },
    { "app_flash", APP_FLASH_DRIVER_NUM },
    { "nvm_storage", NVM_STORAGE_DRIVER_NUM },
    { "kv", KV_DRIVER_NUM },
#ifdef IPC_NAME_DRIVER_NUM
    { "ipc_name", IPC_NAME_DRIVER_NUM },
#endif
#ifdef IPC_MSG_DRIVER_NUM
    { "ipc_msg", IPC_MSG_DRIVER_NUM },
#endif
};
#define DRIVER_COUNT (sizeof drivers / sizeof drivers[0])

/* The kernel break (memop 6) before and after the first subscribe to each driver. */
static uintptr_t brk_before[DRIVER_COUNT];
static uintptr_t brk_after[DRIVER_COUNT];
static bool absent[DRIVER_COUNT];

struct timed {
    const char *name;
    void (*loop)(uint32_t n);
    uint32_t ticks;
};

static struct timed timed[] = {
    { "empty", bench_loop_empty, 0 },
    { "command", bench_loop_command, 0 },
    { "yield", bench_loop_yield, 0 },
};

static void measure_grants(void)
{
    for (uint32_t i = 0; i < DRIVER_COUNT; i++) {
        brk_before[i] = (uintptr_t)tock_app_grant_begins_at();
        subscribe_return_t r = subscribe(drivers[i].num, 0, TOCK_NULL_UPCALL, NULL);
        brk_after[i] = (uintptr_t)tock_app_grant_begins_at();
        absent[i] = !r.success && r.status == TOCK_STATUSCODE_NODEVICE;
    }
}

/* Alarm ticks for LOOP_N iterations of t's loop, started on a fresh timeslice so that no
 * timeslice expiry lands inside. The reads and the loop's own instructions are the same for
 * every loop, so (ticks(op) - ticks(empty)) / LOOP_N is the operation alone. */
static void measure_timed(struct timed *t)
{
    libtocksync_alarm_delay_ms(1);
    uint32_t start = bench_now();
    t->loop(LOOP_N);
    t->ticks = bench_now() - start;
}

int main(void)
{
    measure_grants();
    uint32_t hz = bench_frequency();

    libtocksync_alarm_delay_ms(1);
    for (int i = 0; i < 2; i++) {
        bench_null_command();
        bench_yield_no_wait();
        bench_upcall_chain(bench_upcall_fn);
    }
    for (int i = 0; i < 2; i++) {
        bench_alarm_wait(bench_alarm_fn, hz / 1000u);
    }
    bench_raw_missing(16);
    for (uint32_t i = 0; i < sizeof timed / sizeof timed[0]; i++) {
        measure_timed(&timed[i]);
    }

    for (uint32_t i = 0; i < DRIVER_COUNT; i++) {
        if (absent[i]) {
            printf("bench grant %s 0x%lx absent\n", drivers[i].name,
                   (unsigned long)drivers[i].num);
        } else {
            printf("bench grant %s 0x%lx 0x%lx 0x%lx\n", drivers[i].name,
                   (unsigned long)drivers[i].num, (unsigned long)brk_before[i],
                   (unsigned long)brk_after[i]);
        }
    }
    printf("bench frequency %lu\n", (unsigned long)hz);
    for (uint32_t i = 0; i < sizeof timed / sizeof timed[0]; i++) {
        printf("bench timer %s %lu %lu\n", timed[i].name, (unsigned long)LOOP_N,
               (unsigned long)timed[i].ticks);
    }
    printf("bench bench_syscall done\n");
    return 0;
}
