/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * syscall_fuzz: issue random system calls of every class, forever, with a fixed-seed PRNG.
 *
 * Each round draws a class (command, subscribe, the three allows, memop, yield, and exit with
 * an invalid exit number), a driver number (board drivers, unused numbers, random words),
 * sub-numbers and arguments, and pointers from classes that a hostile app would try: null, the
 * top of the address space, kernel RAM and code, MMIO, another process's RAM, own flash, own
 * RAM, own grant region, random words; lengths include zero, small, huge and wrapping ones.
 *
 * The kernel must answer every call with an error or a harmless success and never panic, fault
 * this process, or touch another process. The fuzzer never faults itself by its own choice:
 *  - a random upcall pointer is replaced by a valid function before anything can yield (the
 *    kernel drops queued upcalls of a re-subscribed slot), so upcalls only reach fuzz_upcall;
 *  - read-write and userspace-readable allows (and the Yield-NoWait result byte) that the
 *    kernel would accept inside own RAM are moved into `scratch`, so drivers can only write
 *    there, never over the stack or this file's state;
 *  - brk/sbrk never move the break below where main() found it (stack, data, bss);
 *  - Yield-Wait and Yield-WaitFor only block with our own short alarm armed;
 *  - no undefined class or yield number (tests bad_syscall/bad_yield cover those), no Exit 0/1;
 *  - console write and low-level-debug print commands get an unused command number instead
 *    (they would flood the UART the test reads).
 * The draws of a round never depend on results, so a seed gives the same call sequence on
 * every run (up to the current break, which random brk calls move deterministically). The PRNG
 * starts from the seed mixed with the process's RAM address, so two copies in one image differ
 * and each is still reproducible with the same image.
 *
 * Expected output: "syscall_fuzz: seed 0x<seed> (state 0x<start>), ...", then every
 * SYSCALL_FUZZ_REPORT_EVERY rounds, forever, "syscall_fuzz: <N> calls (accepted: ...)": how
 * many calls of each class the kernel answered with a Success variant (exit must stay at 0)
 * and how many upcalls ran. `make apps SYSCALL_FUZZ_SEED=<n>` draws another sequence and
 * SYSCALL_FUZZ_TRACE_FROM=<n> prints every round from round n on (userland/userland.mk).
 *
 * Usage: load first (slot 1 on qemu_rv32_virt, so slot 2 is APPS_OTHER_RAM_ADDR) with
 * ram_guard and heartbeat beside it.
 *
 * Invariants: see the list above; `scratch` is the only memory the kernel may be asked to write.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "tock_syscall_arch.h"

#ifndef SYSCALL_FUZZ_SEED
#define SYSCALL_FUZZ_SEED 0x7c0c5eedu
#endif
#ifndef SYSCALL_FUZZ_TRACE_FROM
#define SYSCALL_FUZZ_TRACE_FROM 0xffffffffu
#endif
#define SYSCALL_FUZZ_REPORT_EVERY 10000u

#define RET_SUCCESS_U32 129u
#define ALARM_DRIVER 0x0u
#define ALARM_CMD_FREQUENCY 1u
#define ALARM_CMD_SET_RELATIVE 5u
#define CONSOLE_DRIVER 0x1u
#define CONSOLE_CMD_WRITE 1u
#define LLD_DRIVER 0x8u
#define NOT_A_COMMAND 0x7fu
#define SCRATCH_SIZE 1024u

/* Every driver number any board defines (capsules/driver_num.h), plus a few unused ones. */
static const uint32_t known_drivers[] = {
    0x00000, 0x00001, 0x00002, 0x00003, 0x00004, 0x00008, 0x00009, 0x10000, 0x10002, 0x40001,
    0x40003, 0x40005, 0x40006, 0x50000, 0x50001, 0x50003, 0x50004, 0xA8000, 0xA8001,
    0x00005, 0x50002, 0xA8002, 0xFFFFF,
};

/* Device registers of the board the app is built for: [base, base + span). */
struct mmio_range {
    uint32_t base;
    uint32_t span;
};
#if defined(__arm__)
/* mps2-an385: APB/AHB peripherals (UART, timers, FPGA I/O) and the system control space with
 * the NVIC and the MPU. */
static const struct mmio_range mmio[] = {
    { 0x40000000u, 0x30000u }, { 0x40020000u, 0x10000u }, { 0xe000e000u, 0x1000u },
};
#else
/* virt: CLINT, PLIC, UART and the virtio-mmio slots. */
static const struct mmio_range mmio[] = {
    { 0x02000000u, 0x10000u }, { 0x0c000000u, 0x4000u }, { 0x10000000u, 0x100u },
    { 0x10001000u, 0x8000u },
};
#endif

enum ptr_class {
    PTR_NULL, PTR_TOP, PTR_KERNEL_RAM, PTR_KERNEL_CODE, PTR_MMIO, PTR_OTHER_RAM, PTR_OWN_FLASH,
    PTR_OWN_RAM, PTR_OWN_GRANT, PTR_RANDOM, PTR_SCRATCH, PTR_EDGE
};

/* The process's own regions, read once with memop; `brk` follows every brk/sbrk. */
struct layout {
    uint32_t mem_start, mem_end, flash_start, flash_end, brk, floor_brk, other_ram;
};

static uint8_t scratch[SCRATCH_SIZE] __attribute__((aligned(8)));
static struct layout self;
static uint32_t rng_state;
static uint32_t alarm_ticks_per_ms = 1;
static volatile uint32_t upcalls_seen;
/* Calls the kernel answered with a Success variant, per class number (0..7). */
static uint32_t accepted[8];

static void count(uint32_t class_num, struct tock_syscall_regs r)
{
    if (r.r0 >= 128u) {
        accepted[class_num]++;
    }
}

/* xorshift32: the whole call sequence is a function of the starting state (never 0). */
static uint32_t rnd(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rng_state = x;
    return x;
}

/* The only upcall function ever left subscribed. */
static void fuzz_upcall(int a, int b, int c, void *data)
{
    (void)a;
    (void)b;
    (void)c;
    (void)data;
    upcalls_seen++;
}

static uint32_t memop(uint32_t op, uint32_t arg)
{
    struct tock_syscall_regs r = tock_syscall_memop(op, arg);
    return r.r0 == RET_SUCCESS_U32 ? r.r1 : 0;
}

static void refresh_brk(void)
{
    self.brk = memop(1, 0);
}

static uint32_t pick_pointer(enum ptr_class cls, uint32_t r)
{
    switch (cls) {
    case PTR_NULL:
        return r % 0x100u;
    case PTR_TOP:
        return 0xffffffffu - r % 0x1000u;
    case PTR_KERNEL_RAM:
        return TOCKC_KERNEL_RAM_ADDR + r % 0x40000u;
    case PTR_KERNEL_CODE:
        return TOCKC_KERNEL_CODE_ADDR + r % 0x10000u;
    case PTR_MMIO: {
        const struct mmio_range *m = &mmio[r % (sizeof(mmio) / sizeof(mmio[0]))];
        return m->base + (r >> 8) % m->span;
    }
    case PTR_OTHER_RAM:
        return self.other_ram + r % 0x4000u;
    case PTR_OWN_FLASH:
        return self.flash_start + r % (self.flash_end - self.flash_start);
    case PTR_OWN_RAM:
        return self.mem_start + r % (self.brk - self.mem_start);
    case PTR_OWN_GRANT:
        return self.brk + r % (self.mem_end - self.brk + 1u);
    case PTR_SCRATCH:
        return (uint32_t)(uintptr_t)scratch + r % SCRATCH_SIZE;
    case PTR_EDGE: {
        /* Within 4 bytes of a boundary of this process's regions, where off-by-ones live. */
        const uint32_t edges[] = { self.mem_start, self.brk, self.mem_end, self.flash_start,
                                   self.flash_end };
        return edges[r % 5u] + (r >> 8) % 9u - 4u;
    }
    default:
        return r;
    }
}

/* A pointer class, weighted towards the ones the kernel accepts so calls get past the checks:
 * scratch 4/18, own RAM, own flash and region edges 2/18 each, the other classes 1/18. */
static enum ptr_class pick_class(uint32_t r)
{
    static const uint8_t classes[18] = {
        PTR_SCRATCH, PTR_SCRATCH, PTR_SCRATCH, PTR_SCRATCH, PTR_OWN_RAM, PTR_OWN_RAM,
        PTR_OWN_FLASH, PTR_OWN_FLASH, PTR_EDGE, PTR_EDGE, PTR_NULL, PTR_TOP, PTR_KERNEL_RAM,
        PTR_KERNEL_CODE, PTR_MMIO, PTR_OTHER_RAM, PTR_OWN_GRANT, PTR_RANDOM,
    };
    return (enum ptr_class)classes[r % 18u];
}

static uint32_t pick_length(uint32_t ptr, uint32_t r)
{
    switch (r % 10u) {
    case 0:
        return 0;
    case 1:
        return 1u + (r >> 3) % 64u;
    case 2:
        return (r >> 3) % SCRATCH_SIZE;
    case 3:
        return 0xffffffffu - (r >> 3) % 64u; /* wraps for any pointer above 64 */
    case 4:
        return 0u - ptr + (r >> 3) % 3u; /* ends exactly at, or just past, 2^32 */
    case 5:
        return 0x80000000u;
    case 6:
        return (r >> 3) % 0x10000u;
    case 8:
        return self.brk - ptr + (r >> 4) % 3u - 1u; /* ends one before, at or after the break */
    case 9:
        return self.flash_end - ptr + (r >> 4) % 3u - 1u; /* the same for the flash end */
    default:
        return rnd();
    }
}

static bool in_scratch(uint32_t ptr, uint32_t len)
{
    uint32_t start = (uint32_t)(uintptr_t)scratch;
    return ptr >= start && ptr - start <= SCRATCH_SIZE && len <= SCRATCH_SIZE - (ptr - start);
}

/* A buffer the kernel may write: if it would accept (ptr, len) inside own RAM, it must lie in
 * scratch; otherwise it is moved there. Refused or empty buffers pass unchanged. */
static void confine_writable(uint32_t *ptr, uint32_t *len)
{
    bool would_accept = *len != 0 && *ptr >= self.mem_start && *ptr <= self.brk &&
                        *len <= self.brk - *ptr;
    if (would_accept && !in_scratch(*ptr, *len)) {
        uint32_t offset = *ptr % SCRATCH_SIZE;
        *ptr = (uint32_t)(uintptr_t)scratch + offset;
        *len = *len % (SCRATCH_SIZE - offset + 1u);
    }
}

static uint32_t pick_driver(uint32_t r)
{
    switch (r % 8u) {
    case 0:
        return (r >> 3) % 0x20u;
    case 1:
        return r;
    default:
        return known_drivers[(r >> 3) % (sizeof(known_drivers) / sizeof(known_drivers[0]))];
    }
}

static uint32_t pick_small(uint32_t r)
{
    switch (r % 8u) {
    case 0:
        return r;
    case 1:
        return 0xffffffffu - (r >> 3) % 4u;
    case 2:
    case 3:
        return (r >> 3) % 12u;
    default:
        return (r >> 3) % 4u; /* most drivers use the first few numbers */
    }
}

static uint32_t pick_arg(uint32_t r)
{
    switch (r % 6u) {
    case 0:
        return (r >> 3) % 16u;
    case 1:
        return pick_pointer(pick_class(r >> 3), rnd());
    case 2:
        return 0xffffffffu - (r >> 3) % 4u;
    case 3:
        return 0x80000000u;
    default:
        return rnd();
    }
}

static void trace(uint32_t round, const char *what, uint32_t a, uint32_t b, uint32_t c,
                  uint32_t d)
{
    if (round >= SYSCALL_FUZZ_TRACE_FROM) {
        printf("syscall_fuzz: #%lu %s %08lx %08lx %08lx %08lx\n", (unsigned long)round, what,
               (unsigned long)a, (unsigned long)b, (unsigned long)c, (unsigned long)d);
    }
}

static void fuzz_command(uint32_t round)
{
    uint32_t driver = pick_driver(rnd());
    uint32_t cmd = pick_small(rnd());
    uint32_t arg0 = pick_arg(rnd()), arg1 = pick_arg(rnd());
    bool prints = (driver == CONSOLE_DRIVER && cmd == CONSOLE_CMD_WRITE) ||
                  (driver == LLD_DRIVER && cmd >= 1u && cmd <= 3u);
    if (prints) {
        cmd = NOT_A_COMMAND;
    }
    trace(round, "command", driver, cmd, arg0, arg1);
    count(2, tock_syscall_command(driver, cmd, arg0, arg1));
}

static void fuzz_subscribe(uint32_t round)
{
    uint32_t driver = pick_driver(rnd());
    uint32_t sub = pick_small(rnd());
    uint32_t r = rnd();
    uint32_t appdata = rnd();
    uint32_t fn;
    switch (r % 4u) {
    case 0:
        fn = 0;
        break;
    case 1:
        fn = pick_pointer(pick_class(r >> 2), rnd());
        break;
    default:
        fn = (uint32_t)(uintptr_t)&fuzz_upcall;
        break;
    }
    trace(round, "subscribe", driver, sub, fn, appdata);
    count(1, tock_syscall_subscribe(driver, sub, fn, appdata));
    if (fn != 0 && fn != (uint32_t)(uintptr_t)&fuzz_upcall) {
        /* Nothing has yielded since: replacing it also drops anything queued for it. */
        (void)tock_syscall_subscribe(driver, sub, (uint32_t)(uintptr_t)&fuzz_upcall, appdata);
    }
}

/* kind: 3 read-write, 4 read-only, 7 userspace-readable (the class number). */
static void fuzz_allow(uint32_t round, uint32_t kind)
{
    uint32_t driver = pick_driver(rnd());
    uint32_t num = pick_small(rnd());
    uint32_t ptr = pick_pointer(pick_class(rnd()), rnd());
    uint32_t len = pick_length(ptr, rnd());
    if (kind != 4u) {
        confine_writable(&ptr, &len);
    }
    trace(round, kind == 3u ? "allow-rw" : kind == 4u ? "allow-ro" : "allow-ur", driver, num,
          ptr, len);
    switch (kind) {
    case 3u:
        count(3, tock_syscall_allow_readwrite(driver, num, ptr, len));
        break;
    case 4u:
        count(4, tock_syscall_allow_readonly(driver, num, ptr, len));
        break;
    default:
        count(7, tock_syscall_allow_userspace_read(driver, num, ptr, len));
        break;
    }
}

/* brk/sbrk targets below the break main() started with would take the stack and globals. */
static uint32_t keep_above_floor(uint32_t target)
{
    if (target >= self.mem_start && target < self.floor_brk) {
        return self.floor_brk + (target - self.mem_start);
    }
    return target;
}

static void fuzz_memop(uint32_t round)
{
    uint32_t op = pick_small(rnd());
    uint32_t r = rnd();
    uint32_t arg;
    switch (op) {
    case 0:
        arg = keep_above_floor(r % 2u ? pick_pointer(pick_class(r >> 1),
                                                     rnd())
                                      : self.brk + (uint32_t)((int32_t)(rnd() % 0x4000u) - 0x2000));
        break;
    case 1: {
        uint32_t inc = r % 2u ? rnd() : (uint32_t)((int32_t)(rnd() % 0x4000u) - 0x2000);
        uint32_t target = self.brk + inc;
        bool wraps = (int32_t)inc < 0 ? target > self.brk : target < self.brk;
        if (!wraps && target != keep_above_floor(target)) {
            inc = keep_above_floor(target) - self.brk;
        }
        arg = inc;
        break;
    }
    default:
        arg = pick_arg(r);
        break;
    }
    trace(round, "memop", op, arg, 0, 0);
    count(5, tock_syscall_memop(op, arg));
    if (op <= 1u) {
        refresh_brk();
    }
}

/* Blocks for about a millisecond on our own alarm, with Yield-Wait or Yield-WaitFor. */
static void wait_on_alarm(bool wait_for)
{
    (void)tock_syscall_subscribe(ALARM_DRIVER, 0, (uint32_t)(uintptr_t)&fuzz_upcall, 0);
    struct tock_syscall_regs r =
        tock_syscall_command(ALARM_DRIVER, ALARM_CMD_SET_RELATIVE, alarm_ticks_per_ms, 0);
    if (r.r0 != RET_SUCCESS_U32) {
        return;
    }
    (void)tock_syscall_yield(wait_for ? 2u : 1u, ALARM_DRIVER, 0, 0);
}

static void fuzz_yield(uint32_t round)
{
    uint32_t r = rnd();
    uint32_t flag_ptr = pick_pointer(pick_class(rnd()), rnd());
    uint32_t one = 1;
    confine_writable(&flag_ptr, &one);
    switch (r % 16u) {
    case 0:
        trace(round, "yield-wait", 0, 0, 0, 0);
        wait_on_alarm(false);
        break;
    case 1:
        trace(round, "yield-wait-for", 0, 0, 0, 0);
        wait_on_alarm(true);
        break;
    default:
        trace(round, "yield-no-wait", flag_ptr, 0, 0, 0);
        (void)tock_syscall_yield(0, flag_ptr, rnd(), rnd());
        break;
    }
}

static void fuzz_exit(uint32_t round)
{
    /* 0 (terminate) and 1 (restart) would end the run; the rest must return NOSUPPORT. */
    uint32_t how = 2u + rnd() % 0xfffffff0u;
    uint32_t code = rnd();
    trace(round, "exit", how, code, 0, 0);
    count(6, tock_syscall_exit(how, code));
}

static void fuzz_round(uint32_t round)
{
    uint32_t r = rnd() % 100u;
    if (r < 35u) {
        fuzz_command(round);
    } else if (r < 47u) {
        fuzz_subscribe(round);
    } else if (r < 58u) {
        fuzz_allow(round, 3u);
    } else if (r < 69u) {
        fuzz_allow(round, 4u);
    } else if (r < 77u) {
        fuzz_allow(round, 7u);
    } else if (r < 88u) {
        fuzz_memop(round);
    } else if (r < 99u) {
        fuzz_yield(round);
    } else {
        fuzz_exit(round);
    }
}

int main(void)
{
    self.mem_start = memop(2, 0);
    self.mem_end = memop(3, 0);
    self.flash_start = memop(4, 0);
    self.flash_end = memop(5, 0);
    refresh_brk();
    self.floor_brk = self.brk;
    /* Two copies in one image draw different sequences; each is still fixed by the seed and
     * where the copy's RAM is (the same for the same image on the same board). */
    rng_state = SYSCALL_FUZZ_SEED ^ (self.mem_start * 0x9e3779b9u);
    if (rng_state == 0) {
        rng_state = 1;
    }
    self.other_ram = TOCKC_OTHER_RAM_ADDR != 0 ? TOCKC_OTHER_RAM_ADDR : self.mem_end;
    struct tock_syscall_regs freq = tock_syscall_command(ALARM_DRIVER, ALARM_CMD_FREQUENCY, 0, 0);
    if (freq.r0 == RET_SUCCESS_U32 && freq.r1 >= 1000u) {
        alarm_ticks_per_ms = freq.r1 / 1000u;
    }
    printf("syscall_fuzz: seed 0x%08lx (state 0x%08lx), ram 0x%08lx-0x%08lx, other 0x%08lx\n",
           (unsigned long)SYSCALL_FUZZ_SEED, (unsigned long)rng_state,
           (unsigned long)self.mem_start,
           (unsigned long)self.mem_end, (unsigned long)self.other_ram);
    for (uint32_t round = 1;; round++) {
        fuzz_round(round);
        if (round % SYSCALL_FUZZ_REPORT_EVERY == 0) {
            printf("syscall_fuzz: %lu calls (accepted: command %lu subscribe %lu allow "
                   "rw %lu ro %lu ur %lu memop %lu exit %lu; upcalls %lu; brk 0x%08lx)\n",
                   (unsigned long)round, (unsigned long)accepted[2], (unsigned long)accepted[1],
                   (unsigned long)accepted[3], (unsigned long)accepted[4],
                   (unsigned long)accepted[7], (unsigned long)accepted[5],
                   (unsigned long)accepted[6], (unsigned long)upcalls_seen,
                   (unsigned long)self.brk);
        }
    }
}
