/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Shared host-test fixture for the kernel core: a real struct kernel with three process slots,
 * process RAM and flash at 32-bit addresses (syscall arguments are 32-bit), and fake drivers.
 *
 * Drivers:
 *     FIX_DRV_A (0x10)      grant: 3 upcalls, 2 RO, 2 RW, 1 userspace-readable, 16 data bytes
 *     FIX_DRV_B (0x30)      grant: 2 upcalls, 1 RO, 1 RW, 8 data bytes aligned to 8
 *     FIX_DRV_NOGRANT (0x20) no grant (subscribe/allow fail with NOMEM)
 * Each driver's command records its arguments and returns `next_return`.
 *
 * Each process slot i has RAM [ram + i*FIX_RAM_SIZE, +FIX_RAM_SIZE) and flash
 * [flash + i*FIX_FLASH_SIZE, +FIX_FLASH_SIZE) with a FIX_PROTECTED-byte protected header.
 * fixture_start_process() fills the slot by hand and calls process_start(); fixture_make_running()
 * then consumes the entry task as the scheduler would.
 *
 * Usage:
 *     static struct fixture fx;    // in setup: fixture_init(&fx); in teardown: fixture_fini(&fx)
 *     struct process *p = fixture_running(&fx, 0);
 *     fixture_syscall(&fx, p, 1, FIX_DRV_A, 0, fn, data);
 *
 * Invariants: the kernel's grants are created before processes are marked loaded; RAM and flash
 * mappings live from fixture_init to fixture_fini.
 */
#pragma once

#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "arch/fake_arch.h"
#include "arch/fake_chip.h"
#include "kernel/debug.h"
#include "kernel/deferred_call.h"
#include "kernel/kernel.h"

#define FIX_PROCS 3u
#define FIX_RAM_SIZE 4096u
#define FIX_FLASH_SIZE 2048u
#define FIX_PROTECTED 64u
#define FIX_DRV_A 0x10u
#define FIX_DRV_NOGRANT 0x20u
#define FIX_DRV_B 0x30u
#define FIX_DRIVERS 3u

/* The syscall ABI as an app sees it: class numbers and return variants, written out here rather
 * than taken from the kernel's headers, so the tests hold the kernel to the ABI. */
enum fixture_syscall_abi {
    CLASS_YIELD = 0,
    CLASS_SUBSCRIBE = 1,
    CLASS_COMMAND = 2,
    CLASS_ALLOW_RW = 3,
    CLASS_ALLOW_RO = 4,
    CLASS_EXIT = 6,
    FAILURE = 0,
    FAILURE_U32 = 1,
    SUCCESS = 128,
    SUCCESS_U32 = 129,
    SUCCESS_2U32 = 130,
};

struct fake_driver {
    struct syscall_driver driver;
    struct syscall_return next_return;
    uint32_t calls;
    uint32_t command_num, arg0, arg1;
    struct process_id pid;
};

struct fixture {
    struct kernel k;
    struct process procs[FIX_PROCS];
    struct upcall_latched latched[FIX_PROCS]; /* as the full boards give (record 030) */
    struct fake_driver drv_a, drv_b, drv_nogrant;
    struct grant grant_a, grant_b;
    struct driver_slot slots[FIX_DRIVERS];
    uint8_t *ram;
    uint8_t *flash;
};

static inline struct syscall_return
fake_driver_command_result(struct syscall_driver *driver, uint32_t command_num, uint32_t arg0,
                           uint32_t arg1, struct process_id pid)
{
    struct fake_driver *d = (struct fake_driver *)driver;
    d->calls++;
    d->command_num = command_num;
    d->arg0 = arg0;
    d->arg1 = arg1;
    d->pid = pid;
    return d->next_return;
}

static inline void fake_driver_command(struct syscall_driver *driver, uint32_t *regs,
                                       struct process_id pid)
{
    syscall_command_run(fake_driver_command_result, driver, regs, pid);
}

static const struct syscall_driver_ops fake_driver_ops = {.command = fake_driver_command};

static inline void *fixture_map32(size_t len)
{
    void *mem =
        mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    if (mem == MAP_FAILED || (uintptr_t)mem + len > 0xFFFFFFFFu) {
        fprintf(stderr, "fixture: cannot map %zu bytes below 4 GiB\n", len);
        abort();
    }
    return mem;
}

static inline void fixture_drain_debug(void)
{
    uint8_t buf[256];
    while (debug_take(buf, sizeof buf) != 0) {
    }
    (void)debug_take_dropped();
}

/* Everything printed since the last drain, NUL-terminated (truncated to cap - 1). */
static inline size_t fixture_debug_text(char *out, size_t cap)
{
    size_t n = debug_take((uint8_t *)out, cap - 1);
    out[n] = '\0';
    fixture_drain_debug();
    return n;
}

/* A kernel panic's output, captured by tests that expect one (fixture_capture_panic). */
struct fixture_panic {
    char text[256];
    size_t len;
};

static inline struct fixture_panic *fixture_panic(void)
{
    static struct fixture_panic captured;
    return &captured;
}

static inline void fixture_panic_putc(char c)
{
    struct fixture_panic *p = fixture_panic();
    if (p->len + 1 < sizeof p->text) {
        p->text[p->len++] = c;
        p->text[p->len] = '\0';
    }
}

/* From now on a kernel panic prints into fixture_panic()->text and arch_halt longjmps to
 * *halted (the test calls setjmp on it first and resets fake_arch.halt_jmp after). */
static inline void fixture_capture_panic(jmp_buf *halted)
{
    *fixture_panic() = (struct fixture_panic){ .len = 0 };
    debug_set_panic_putc(fixture_panic_putc);
    fake_arch.halt_jmp = halted;
}

/* Kernel with drivers and grants, processes not loaded yet (grant_create still allowed). */
static inline void fixture_init_unloaded(struct fixture *fx, struct process_fault_policy policy)
{
    fake_arch_reset();
    fake_chip_reset();
    deferred_call_reset_for_test();
    fixture_drain_debug();
    memset(fx, 0, sizeof *fx);
    fx->ram = fixture_map32(FIX_PROCS * FIX_RAM_SIZE);
    fx->flash = fixture_map32(FIX_PROCS * FIX_FLASH_SIZE);
    memset(fx->ram, 0xA5, FIX_PROCS * FIX_RAM_SIZE); /* garbage the kernel must zero */
    fx->drv_a.driver = (struct syscall_driver){ &fake_driver_ops, &fx->grant_a, false };
    fx->drv_b.driver = (struct syscall_driver){ &fake_driver_ops, &fx->grant_b, false };
    fx->drv_nogrant.driver = (struct syscall_driver){ &fake_driver_ops, NULL, false };
    fx->slots[0] = (struct driver_slot){FIX_DRV_A, &fx->drv_a.driver};
    fx->slots[1] = (struct driver_slot){FIX_DRV_NOGRANT, &fx->drv_nogrant.driver};
    fx->slots[2] = (struct driver_slot){FIX_DRV_B, &fx->drv_b.driver};
    struct kernel_config config = {
        .processes = fx->procs,
        .process_count = FIX_PROCS,
        .drivers = fx->slots,
        .driver_count = FIX_DRIVERS,
        .chip = &fake_chip,
        .app_flash_start = (uintptr_t)fx->flash,
        .app_flash_end = (uintptr_t)fx->flash + FIX_PROCS * FIX_FLASH_SIZE,
        .app_ram_start = (uintptr_t)fx->ram,
        .app_ram_end = (uintptr_t)fx->ram + FIX_PROCS * FIX_RAM_SIZE,
        .fault_policy = policy,
        .ram_headroom = 0,
    };
    kernel_init(&fx->k, &config);
    kernel_set_latched_slots(&fx->k, fx->latched, FIX_PROCS);
    struct grant_config a = {.driver_num = FIX_DRV_A,
                             .data_size = 16,
                             .data_align = 4,
                             .upcalls = 3,
                             .read_only = 2,
                             .read_write = 2,
                             .userspace_readable = 1};
    struct grant_config b = {.driver_num = FIX_DRV_B,
                             .data_size = 8,
                             .data_align = 8,
                             .upcalls = 2,
                             .read_only = 1,
                             .read_write = 1};
    assert_int_equal(grant_create(&fx->grant_a, &fx->k, &a), ERR_OK);
    assert_int_equal(grant_create(&fx->grant_b, &fx->k, &b), ERR_OK);
}

/* Before loading: serve the fixture's drivers and then the `extra_count` drivers of `extra`,
 * through `slots` (room for FIX_DRIVERS + extra_count, alive as long as the kernel). */
static inline void fixture_add_drivers(struct fixture *fx, struct driver_slot *slots,
                                       const struct driver_slot *extra, uint32_t extra_count)
{
    for (uint32_t i = 0; i < FIX_DRIVERS; i++) {
        slots[i] = fx->slots[i];
    }
    for (uint32_t i = 0; i < extra_count; i++) {
        slots[FIX_DRIVERS + i] = extra[i];
    }
    kernel_set_drivers(&fx->k, slots, FIX_DRIVERS + extra_count);
}

static inline void fixture_init_policy(struct fixture *fx, struct process_fault_policy policy)
{
    fixture_init_unloaded(fx, policy);
    fx->k.processes_loaded = true;
}

static inline void fixture_init(struct fixture *fx)
{
    fixture_init_policy(fx, (struct process_fault_policy){ .action = PROCESS_FAULT_STOP });
}

static inline void fixture_fini(struct fixture *fx)
{
    munmap(fx->ram, FIX_PROCS * FIX_RAM_SIZE);
    munmap(fx->flash, FIX_PROCS * FIX_FLASH_SIZE);
    fx->ram = NULL;
    fx->flash = NULL;
}

static inline uintptr_t fixture_ram(const struct fixture *fx, uint32_t i)
{
    return (uintptr_t)fx->ram + i * FIX_RAM_SIZE;
}

static inline uintptr_t fixture_flash(const struct fixture *fx, uint32_t i)
{
    return (uintptr_t)fx->flash + i * FIX_FLASH_SIZE;
}

/* Fill slot i by hand (as the loader would) and start it: Yielded with the entry task queued. */
static inline struct process *fixture_start_process(struct fixture *fx, uint32_t i)
{
    struct process *p = &fx->procs[i];
    *p = (struct process){.state = PROCESS_EMPTY};
    p->pid.index = i;
    p->flash_start = fixture_flash(fx, i);
    p->flash_size = FIX_FLASH_SIZE;
    p->protected_size = FIX_PROTECTED;
    p->entry_point = p->flash_start + FIX_PROTECTED + 0x21u; /* odd, as on Thumb */
    p->mem_start = fixture_ram(fx, i);
    p->mem_size = FIX_RAM_SIZE;
    p->fault_policy = fx->k.config.fault_policy;
    snprintf(p->name, sizeof p->name, "app%u", (unsigned)i);
    p->writeable_region_count = 2;
    p->writeable_regions[0][0] = 0x400;
    p->writeable_regions[0][1] = 0x100;
    p->writeable_regions[1][0] = 0x600;
    p->writeable_regions[1][1] = 0; /* declared but empty */
    assert_int_equal(process_start(&fx->k, p), ERR_OK);
    return p;
}

/* An address in p's code (after its protected header), odd as a Thumb function pointer. */
static inline uint32_t fixture_code_addr(const struct process *p, uint32_t offset)
{
    return (uint32_t)(p->flash_start + FIX_PROTECTED + offset) | 1u;
}

/* The entry task consumed as the scheduler would: the process is running its _start. */
static inline void fixture_make_running(struct process *p)
{
    struct upcall_task entry;
    assert_true(upcall_queue_pop_function(&p->queue, &entry));
    assert_int_equal(entry.driver_num, UPCALL_DRIVER_KERNEL);
    p->state = PROCESS_RUNNING;
}

static inline struct process *fixture_running(struct fixture *fx, uint32_t i)
{
    struct process *p = fixture_start_process(fx, i);
    fixture_make_running(p);
    return p;
}

/* Process p traps with syscall (class, a0..a3); the kernel handles it. */
static inline void fixture_syscall(struct fixture *fx, struct process *p, uint32_t class_num,
                                   uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
    fake_arch_set_syscall(&p->context, class_num, a0, a1, a2, a3);
    p->context.return_writes = 0;
    syscall_handle(&fx->k, p);
}

/* fixture_syscall, returning the kernel's r0 (the return variant). */
static inline uint32_t fixture_sys(struct fixture *fx, struct process *p, uint32_t class_num,
                                   uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
    fixture_syscall(fx, p, class_num, a0, a1, a2, a3);
    return p->context.regs[0];
}

/* The registers after the last syscall, with the count of them written. The kernel's own
 * classes write through arch_set_syscall_return, which records the count; a command's driver
 * writes in place (syscall_reply), so there the registers past the count must still hold the
 * process's arguments: tests give arguments no result could equal. */
static inline void fixture_expect_regs(const struct process *p, uint32_t count, uint32_t r0,
                                       uint32_t r1, uint32_t r2, uint32_t r3)
{
    if (p->context.return_writes != 0) {
        assert_int_equal(p->context.return_count, count);
    }
    assert_int_equal(p->context.regs[0], r0);
    assert_int_equal(p->context.regs[1], r1);
    assert_int_equal(p->context.regs[2], r2);
    assert_int_equal(p->context.regs[3], r3);
}

static inline uint32_t u32(uintptr_t address)
{
    return (uint32_t)address;
}
