/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for syscall dispatch (kernel/syscall.c) against ABI §1: every class, the exact
 * return variant, and exactly which return registers are written.
 *
 * Processes are set up by hand (kernel_fixture.h) with RAM and flash at 32-bit addresses; each
 * test makes the process trap with fake_arch_set_syscall() and calls syscall_handle().
 * Registers the kernel does not write keep the syscall's arguments, so every check of r0-r3
 * also checks that nothing else was touched.
 *
 * Usage: make build/host/syscall_test build/host-san/syscall_test && build/host/syscall_test
 */
#include "kernel_fixture.h"

#include "kernel/grant.h"

static struct fixture fx;

static int setup(void **state)
{
    (void)state;
    fixture_init(&fx);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fixture_fini(&fx);
    return 0;
}

static uint8_t *at(uintptr_t address)
{
    return (uint8_t *)address;
}

/* ---- grant helpers: schedule an upcall for p from driver A's slot ---- */

struct schedule_args {
    uint32_t sub;
    uint32_t a0;
    err_t result;
};

static err_t schedule_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)data;
    struct schedule_args *args = ctx;
    args->result = grant_schedule_upcall(kd, args->sub, args->a0, 0, 0);
    return ERR_OK;
}

static void schedule(struct grant *g, struct process *p, uint32_t sub, uint32_t a0)
{
    struct schedule_args args = {sub, a0, ERR_FAIL};
    assert_int_equal(grant_enter(g, p->pid, schedule_in_grant, &args), ERR_OK);
    assert_int_equal(args.result, ERR_OK);
}

/* ==== Subscribe (class 1) ==== */

static void test_first_subscribe_returns_null_upcall_as_success_2u32(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uint32_t fn = fixture_code_addr(p, 0x40);
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 0, fn, 0xABCD);
    fixture_expect_regs(p, 3, 130, 0, 0, 0xABCD); /* r3 untouched: still the appdata */
    assert_int_equal(p->syscall_count, 1);
}

static void test_subscribe_swap_returns_previous_upcall(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uint32_t fn1 = fixture_code_addr(p, 0x40), fn2 = fixture_code_addr(p, 0x80);
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 2, fn1, 111);
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 2, fn2, 222);
    fixture_expect_regs(p, 3, 130, fn1, 111, 222);
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 2, 0, 333);
    fixture_expect_regs(p, 3, 130, fn2, 222, 333);
    /* Slots are independent: slot 1 of A and slot 2 of B were never set. */
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 1, fn1, 1);
    fixture_expect_regs(p, 3, 130, 0, 0, 1);
    fixture_syscall(&fx, p, 1, FIX_DRV_B, 1, fn1, 2);
    fixture_expect_regs(p, 3, 130, 0, 0, 2);
}

static void test_subscribe_missing_driver_is_nodevice_echoing_inputs(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uint32_t fn = fixture_code_addr(p, 0x40);
    fixture_syscall(&fx, p, 1, 0x99, 0, fn, 0x5555);
    fixture_expect_regs(p, 4, 2, ERR_NODEVICE, fn, 0x5555);
    fixture_syscall(&fx, p, 1, 0x99, 0, 0, 0x6666);
    fixture_expect_regs(p, 4, 2, ERR_NODEVICE, 0, 0x6666);
}

static void test_subscribe_slot_out_of_range_is_nosupport(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uint32_t fn = fixture_code_addr(p, 0x40);
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 3, fn, 7); /* A declares 3 upcalls: 0..2 */
    fixture_expect_regs(p, 4, 2, ERR_NOSUPPORT, fn, 7);
    fixture_syscall(&fx, p, 1, FIX_DRV_B, 0xFFFFFFFFu, 0, 8);
    fixture_expect_regs(p, 4, 2, ERR_NOSUPPORT, 0, 8);
}

static void test_subscribe_driver_without_grant_is_nomem(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uint32_t fn = fixture_code_addr(p, 0x40);
    fixture_syscall(&fx, p, 1, FIX_DRV_NOGRANT, 0, fn, 9);
    fixture_expect_regs(p, 4, 2, ERR_NOMEM, fn, 9);
}

static void test_subscribe_fn_outside_process_memory_is_inval(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    struct process *other = fixture_running(&fx, 1);
    const uint32_t bad[] = {
        0x1001u,                                 /* kernel / unmapped memory */
        fixture_code_addr(other, 0x40),                  /* another process's code */
        u32(other->mem_start + 4),               /* another process's RAM */
        u32(p->flash_start + p->flash_size - 2), /* straddles the end of flash */
        u32(p->flash_start + p->flash_size),     /* just past flash */
        u32(p->app_brk - 2),                     /* straddles the app break */
        u32(p->app_brk + 64),                    /* RAM the app has not been given */
        u32(p->mem_start + p->mem_size - 16),    /* the grant region */
        0xFFFFFFFFu,                             /* wraps */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fixture_syscall(&fx, p, 1, FIX_DRV_A, 0, bad[i], 0x77);
        fixture_expect_regs(p, 4, 2, ERR_INVAL, bad[i], 0x77);
    }
    /* INVAL comes before the driver lookup (ABI §1.7 step 1). */
    fixture_syscall(&fx, p, 1, 0x99, 0, 0x1001u, 0x78);
    fixture_expect_regs(p, 4, 2, ERR_INVAL, 0x1001u, 0x78);
    /* Nothing was stored: the first valid subscribe still returns the Null Upcall. */
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 0, fixture_code_addr(p, 0), 1);
    fixture_expect_regs(p, 3, 130, 0, 0, 1);
}

static void test_subscribe_fn_in_app_ram_is_accepted(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uint32_t fn = u32(p->mem_start + 8) | 1u;
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 0, fn, 3);
    fixture_expect_regs(p, 3, 130, 0, 0, 3);
    uint32_t last = u32(p->app_brk - 4); /* the last 4 bytes below the break */
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 0, last, 4);
    fixture_expect_regs(p, 3, 130, fn, 3, 4);
}

static void test_subscribe_fn_into_protected_header_is_inval(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    const uint32_t bad[] = {
        u32(p->flash_start), /* the TBF header itself */
        u32(p->flash_start + 0x11),
        u32(p->flash_start + FIX_PROTECTED - 2), /* straddles the end of the protected region */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fixture_syscall(&fx, p, 1, FIX_DRV_A, 0, bad[i], 0);
        fixture_expect_regs(p, 4, 2, ERR_INVAL, bad[i], 0);
    }
    uint32_t first_ok = u32(p->flash_start + FIX_PROTECTED);
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 0, first_ok, 0);
    fixture_expect_regs(p, 3, 130, 0, 0, 0);
    uint32_t last_ok = u32(p->flash_start + p->flash_size - 4);
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 0, last_ok, 0);
    fixture_expect_regs(p, 3, 130, first_ok, 0, 0);
}

static void test_subscribe_null_fn_is_always_valid(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 1, 0, 0xFFFFFFFFu);
    fixture_expect_regs(p, 3, 130, 0, 0, 0xFFFFFFFFu);
    uint32_t fn = fixture_code_addr(p, 4);
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 1, fn, 5);
    fixture_expect_regs(p, 3, 130, 0, 0xFFFFFFFFu, 5);
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 1, 0, 0);
    fixture_expect_regs(p, 3, 130, fn, 5, 0);
}

static void test_subscribe_swap_removes_queued_calls_but_keeps_null_records(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uint32_t fn1 = fixture_code_addr(p, 0x40), fn2 = fixture_code_addr(p, 0x80);
    schedule(&fx.grant_a, p, 1, 100); /* slot 1 holds 0: null record */
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 1, fn1, 0);
    schedule(&fx.grant_a, p, 1, 101);                 /* function task for fn1 */
    schedule(&fx.grant_a, p, 2, 102);                 /* other slot: null record */
    schedule(&fx.grant_a, p, 1, 103);                 /* function task for fn1 */
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 0, fn2, 0); /* other slot of A */
    schedule(&fx.grant_a, p, 0, 104);                 /* function task for fn2, slot 0 */
    assert_int_equal(p->queue.count, 5);
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 1, fn2, 0);
    fixture_expect_regs(p, 3, 130, fn1, 0, 0);
    assert_int_equal(p->queue.count, 3);
    assert_int_equal(p->queue.tasks[0].args[0], 100);
    assert_int_equal(p->queue.tasks[0].kind, UPCALL_NULL_RECORD);
    assert_int_equal(p->queue.tasks[1].args[0], 102);
    assert_int_equal(p->queue.tasks[2].args[0], 104);
    assert_int_equal(p->queue.tasks[2].fn, fn2);
}

static void test_failed_subscribe_leaves_queue_alone(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uint32_t fn1 = fixture_code_addr(p, 0x40);
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 1, fn1, 0);
    schedule(&fx.grant_a, p, 1, 1);
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 1, 0x1001u, 0); /* INVAL */
    assert_int_equal(p->queue.count, 1);
    assert_int_equal(p->queue.tasks[0].fn, fn1);
}

/* ==== Allow (classes 3, 4, 7) ==== */

static void test_rw_allow_returns_previous_buffer(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    assert_int_equal(process_set_brk(p, p->mem_start + 1024), ERR_OK);
    uint32_t a = u32(p->mem_start + 100), b = u32(p->mem_start + 300);
    fixture_syscall(&fx, p, 3, FIX_DRV_A, 1, a, 50);
    fixture_expect_regs(p, 3, 130, 0, 0, 50);
    fixture_syscall(&fx, p, 3, FIX_DRV_A, 1, b, 60);
    fixture_expect_regs(p, 3, 130, a, 50, 60);
    fixture_syscall(&fx, p, 3, FIX_DRV_A, 1, 0, 0);
    fixture_expect_regs(p, 3, 130, b, 60, 0);
}

static void test_ro_rw_and_ur_allow_slots_are_independent(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    assert_int_equal(process_set_brk(p, p->mem_start + 1024), ERR_OK);
    uint32_t a = u32(p->mem_start + 100), b = u32(p->mem_start + 200);
    uint32_t c = u32(p->mem_start + 300);
    fixture_syscall(&fx, p, 3, FIX_DRV_A, 0, a, 10);
    fixture_expect_regs(p, 3, 130, 0, 0, 10);
    fixture_syscall(&fx, p, 4, FIX_DRV_A, 0, b, 20);
    fixture_expect_regs(p, 3, 130, 0, 0, 20);
    fixture_syscall(&fx, p, 7, FIX_DRV_A, 0, c, 30);
    fixture_expect_regs(p, 3, 130, 0, 0, 30);
    fixture_syscall(&fx, p, 4, FIX_DRV_A, 0, 0, 0);
    fixture_expect_regs(p, 3, 130, b, 20, 0);
    fixture_syscall(&fx, p, 7, FIX_DRV_A, 0, 0, 0);
    fixture_expect_regs(p, 3, 130, c, 30, 0);
    fixture_syscall(&fx, p, 3, FIX_DRV_A, 0, 0, 0);
    fixture_expect_regs(p, 3, 130, a, 10, 0);
    /* Another driver's slots are its own. */
    fixture_syscall(&fx, p, 3, FIX_DRV_B, 0, a, 1);
    fixture_expect_regs(p, 3, 130, 0, 0, 1);
}

static void test_zero_length_allow_accepts_any_address_and_returns_it(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    const uint32_t classes[] = {3, 4, 7};
    for (size_t i = 0; i < 3; i++) {
        fixture_syscall(&fx, p, classes[i], FIX_DRV_A, 0, 0xDEAD0000u, 0);
        fixture_expect_regs(p, 3, 130, 0, 0, 0);
        fixture_syscall(&fx, p, classes[i], FIX_DRV_A, 0, 0, 0);
        fixture_expect_regs(p, 3, 130, 0xDEAD0000u, 0, 0);
    }
    assert_int_equal(p->allow_high_water, p->mem_start); /* no RAM was shared */
}

static void test_allow_outside_app_ram_is_inval(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    struct process *other = fixture_running(&fx, 1);
    assert_int_equal(process_set_brk(p, p->mem_start + 256), ERR_OK);
    const struct {
        uint32_t addr, len;
    } bad[] = {
        {u32(p->mem_start - 4), 8},               /* starts below RAM */
        {u32(p->app_brk - 4), 8},                 /* crosses the break */
        {u32(p->app_brk), 1},                     /* at the break */
        {u32(p->mem_start + p->mem_size - 8), 8}, /* grant region */
        {u32(other->mem_start), 4},               /* another process */
        {0x1000u, 16},                            /* kernel memory */
    };
    const uint32_t classes[] = {3, 4, 7};
    for (size_t c = 0; c < 3; c++) {
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            fixture_syscall(&fx, p, classes[c], FIX_DRV_A, 0, bad[i].addr, bad[i].len);
            fixture_expect_regs(p, 4, 2, ERR_INVAL, bad[i].addr, bad[i].len);
        }
    }
    /* The whole accessible RAM is fine. */
    fixture_syscall(&fx, p, 3, FIX_DRV_A, 0, u32(p->mem_start), 256);
    fixture_expect_regs(p, 3, 130, 0, 0, 256);
}

static void test_allow_with_wrapping_length_is_inval(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uint32_t addr = u32(p->mem_start + 4);
    uint32_t len = 0xFFFFFFFFu - addr + 10u; /* addr + len wraps to 9 */
    fixture_syscall(&fx, p, 3, FIX_DRV_A, 0, addr, len);
    fixture_expect_regs(p, 4, 2, ERR_INVAL, addr, len);
    fixture_syscall(&fx, p, 4, FIX_DRV_A, 0, addr, 0xFFFFFFFFu);
    fixture_expect_regs(p, 4, 2, ERR_INVAL, addr, 0xFFFFFFFFu);
    uint32_t flash = u32(p->flash_start + FIX_PROTECTED);
    fixture_syscall(&fx, p, 4, FIX_DRV_A, 0, flash, 0u - flash + 4u);
    fixture_expect_regs(p, 4, 2, ERR_INVAL, flash, 0u - flash + 4u);
}

static void test_ro_allow_into_app_flash_after_protected_region_is_ok(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uint32_t addr = u32(p->flash_start + FIX_PROTECTED);
    uint32_t len = FIX_FLASH_SIZE - FIX_PROTECTED;
    fixture_syscall(&fx, p, 4, FIX_DRV_A, 1, addr, len);
    fixture_expect_regs(p, 3, 130, 0, 0, len);
    fixture_syscall(&fx, p, 4, FIX_DRV_A, 1, 0, 0);
    fixture_expect_regs(p, 3, 130, addr, len, 0);
    assert_int_equal(p->allow_high_water, p->mem_start); /* flash does not raise the mark */
}

static void test_ro_allow_into_protected_header_is_inval(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uint32_t addr = u32(p->flash_start);
    fixture_syscall(&fx, p, 4, FIX_DRV_A, 0, addr, 16);
    fixture_expect_regs(p, 4, 2, ERR_INVAL, addr, 16);
    addr = u32(p->flash_start + FIX_PROTECTED - 1);
    fixture_syscall(&fx, p, 4, FIX_DRV_A, 0, addr, 2);
    fixture_expect_regs(p, 4, 2, ERR_INVAL, addr, 2);
    addr = u32(p->flash_start + FIX_FLASH_SIZE - 4);
    fixture_syscall(&fx, p, 4, FIX_DRV_A, 0, addr, 8); /* past the end of flash */
    fixture_expect_regs(p, 4, 2, ERR_INVAL, addr, 8);
}

static void test_rw_and_ur_allow_into_flash_is_inval(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uint32_t addr = u32(p->flash_start + FIX_PROTECTED);
    fixture_syscall(&fx, p, 3, FIX_DRV_A, 0, addr, 16);
    fixture_expect_regs(p, 4, 2, ERR_INVAL, addr, 16);
    fixture_syscall(&fx, p, 7, FIX_DRV_A, 0, addr, 16);
    fixture_expect_regs(p, 4, 2, ERR_INVAL, addr, 16);
}

static void test_allow_driver_without_grant_is_nomem(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uint32_t addr = u32(p->mem_start + 4);
    const uint32_t classes[] = {3, 4, 7};
    for (size_t i = 0; i < 3; i++) {
        fixture_syscall(&fx, p, classes[i], FIX_DRV_NOGRANT, 0, addr, 4);
        fixture_expect_regs(p, 4, 2, ERR_NOMEM, addr, 4);
    }
    assert_int_equal(p->allow_high_water, p->mem_start); /* failed allows share nothing */
}

static void test_allow_missing_driver_is_nodevice_and_bad_slot_nosupport(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uint32_t addr = u32(p->mem_start + 4);
    fixture_syscall(&fx, p, 3, 0x99, 0, addr, 4);
    fixture_expect_regs(p, 4, 2, ERR_NODEVICE, addr, 4);
    fixture_syscall(&fx, p, 4, 0x99, 0, 0x1000u, 4); /* NODEVICE before validation */
    fixture_expect_regs(p, 4, 2, ERR_NODEVICE, 0x1000u, 4);
    fixture_syscall(&fx, p, 3, FIX_DRV_A, 2, addr, 4); /* A: 2 RW slots */
    fixture_expect_regs(p, 4, 2, ERR_NOSUPPORT, addr, 4);
    fixture_syscall(&fx, p, 4, FIX_DRV_B, 1, addr, 4); /* B: 1 RO slot */
    fixture_expect_regs(p, 4, 2, ERR_NOSUPPORT, addr, 4);
    fixture_syscall(&fx, p, 7, FIX_DRV_B, 0, addr, 4); /* B: no UR slots */
    fixture_expect_regs(p, 4, 2, ERR_NOSUPPORT, addr, 4);
}

static void test_allow_high_water_mark_keeps_brk_above_shared_buffers(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uintptr_t m = p->mem_start;
    assert_int_equal(process_set_brk(p, m + 1024), ERR_OK);
    fixture_syscall(&fx, p, 3, FIX_DRV_A, 0, u32(m + 512), 256);
    assert_int_equal(p->allow_high_water, m + 768);
    fixture_syscall(&fx, p, 5, 0, u32(m + 700), 0, 0);
    fixture_expect_regs(p, 2, 0, ERR_NOMEM, 0, 0);
    assert_int_equal(p->app_brk, m + 1024);
    /* Giving the buffer back does not lower the mark (only a restart does). */
    fixture_syscall(&fx, p, 3, FIX_DRV_A, 0, 0, 0);
    fixture_syscall(&fx, p, 5, 0, u32(m + 767), 0, 0);
    fixture_expect_regs(p, 2, 0, ERR_NOMEM, 0, 0);
    fixture_syscall(&fx, p, 5, 0, u32(m + 768), 0, 0);
    fixture_expect_regs(p, 1, 128, u32(m + 768), 0, 0);
    /* sbrk is held by the same mark; RO and UR allows in RAM raise it too. */
    fixture_syscall(&fx, p, 5, 1, (uint32_t)-1, 0, 0);
    fixture_expect_regs(p, 2, 0, ERR_NOMEM, 0, 0);
    fixture_syscall(&fx, p, 4, FIX_DRV_A, 0, u32(m + 700), 60);
    assert_int_equal(p->allow_high_water, m + 768); /* below the mark: unchanged */
    assert_int_equal(process_set_brk(p, m + 1024), ERR_OK);
    fixture_syscall(&fx, p, 4, FIX_DRV_A, 1, u32(m + 700), 100); /* straddles the mark */
    fixture_expect_regs(p, 3, 130, 0, 0, 100);
    assert_int_equal(p->allow_high_water, m + 800);
    fixture_syscall(&fx, p, 7, FIX_DRV_A, 0, u32(m + 1000), 24);
    assert_int_equal(p->allow_high_water, m + 1024);
    fixture_syscall(&fx, p, 5, 0, u32(m + 1020), 0, 0);
    fixture_expect_regs(p, 2, 0, ERR_NOMEM, 0, 0);
}

/* ==== Command (class 2) ==== */

static void test_command_missing_driver_is_failure_nodevice(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    fixture_syscall(&fx, p, 2, 0x99, 0, 0x11, 0x22);
    fixture_expect_regs(p, 2, 0, ERR_NODEVICE, 0x11, 0x22);
    assert_int_equal(fx.drv_a.calls + fx.drv_b.calls + fx.drv_nogrant.calls, 0);
}

static void test_command_passes_arguments_and_result_through(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 1);
    fx.drv_nogrant.next_return = syscall_success_u32_u64(7, 0x1122334455667788ull);
    fixture_syscall(&fx, p, 2, FIX_DRV_NOGRANT, 42, 0xAAAA, 0xBBBB);
    fixture_expect_regs(p, 4, 133, 7, 0x55667788u, 0x11223344u);
    assert_int_equal(fx.drv_nogrant.calls, 1);
    assert_int_equal(fx.drv_nogrant.command_num, 42);
    assert_int_equal(fx.drv_nogrant.arg0, 0xAAAA);
    assert_int_equal(fx.drv_nogrant.arg1, 0xBBBB);
    assert_true(process_id_equal(fx.drv_nogrant.pid, p->pid));
}

static void test_each_return_variant_writes_exactly_its_registers(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    const struct {
        struct syscall_return ret;
        uint32_t count;
        uint32_t regs[4];
    } cases[] = {
        {syscall_failure(ERR_BUSY), 2, {0, ERR_BUSY, 0xC2, 0xC3}},
        {syscall_failure_u32(ERR_SIZE, 5), 3, {1, ERR_SIZE, 5, 0xC3}},
        {syscall_failure_2u32(ERR_OFF, 5, 6), 4, {2, ERR_OFF, 5, 6}},
        {syscall_failure_u64(ERR_FAIL, 0x0102030405060708ull),
         4,
         {3, ERR_FAIL, 0x05060708u, 0x01020304u}},
        {syscall_success(), 1, {128, 0xC1, 0xC2, 0xC3}},
        {syscall_success_u32(9), 2, {129, 9, 0xC2, 0xC3}},
        {syscall_success_2u32(9, 10), 3, {130, 9, 10, 0xC3}},
        {syscall_success_u64(0xA0000000B0000000ull), 3, {131, 0xB0000000u, 0xA0000000u, 0xC3}},
        {syscall_success_3u32(1, 2, 3), 4, {132, 1, 2, 3}},
        {syscall_success_u32_u64(1, 0x200000003ull), 4, {133, 1, 3, 2}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fx.drv_a.next_return = cases[i].ret;
        fixture_syscall(&fx, p, 2, FIX_DRV_A, 0xC1, 0xC2, 0xC3);
        fixture_expect_regs(p, cases[i].count, cases[i].regs[0], cases[i].regs[1], cases[i].regs[2],
                            cases[i].regs[3]);
        /* The driver wrote them in place: no generic encode on the command path. */
        assert_int_equal(p->context.return_writes, 0);
    }
}

/* ==== Memop (class 5) ==== */

static void test_memop_brk_moves_break_and_returns_success(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uintptr_t m = p->mem_start;
    fixture_syscall(&fx, p, 5, 0, u32(m + 2000), 0, 0);
    fixture_expect_regs(p, 1, 128, u32(m + 2000), 0, 0);
    assert_int_equal(p->app_brk, m + 2000);
    assert_int_equal(p->mpu.app_brk, m + 2000);
    fixture_syscall(&fx, p, 5, 0, u32(m + 40), 0, 0); /* shrinking is allowed */
    fixture_expect_regs(p, 1, 128, u32(m + 40), 0, 0);
    assert_int_equal(p->app_brk, m + 40);
}

static void test_memop_sbrk_returns_old_break(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uintptr_t m = p->mem_start;
    assert_int_equal(p->app_brk, m + 32); /* the fake arch's initial break */
    fixture_syscall(&fx, p, 5, 1, 100, 0, 0);
    fixture_expect_regs(p, 2, 129, u32(m + 32), 0, 0);
    assert_int_equal(p->app_brk, m + 132);
    fixture_syscall(&fx, p, 5, 1, 0, 0, 0);
    fixture_expect_regs(p, 2, 129, u32(m + 132), 0, 0);
    fixture_syscall(&fx, p, 5, 1, (uint32_t)-32, 0, 0);
    fixture_expect_regs(p, 2, 129, u32(m + 132), 0, 0);
    assert_int_equal(p->app_brk, m + 100);
}

static void test_memop_growing_break_zero_fills_new_memory(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uintptr_t m = p->mem_start;
    assert_int_equal(process_set_brk(p, m + 512), ERR_OK);
    memset(at(m), 0x5A, 512);
    fixture_syscall(&fx, p, 5, 0, u32(m + 256), 0, 0); /* shrink: memory keeps its bytes */
    assert_int_equal(at(m)[255], 0x5A);
    assert_int_equal(at(m)[256], 0x5A);
    memset(at(m + 512), 0x77, 512); /* beyond the break: stale bytes */
    fixture_syscall(&fx, p, 5, 1, 768, 0, 0);
    fixture_expect_regs(p, 2, 129, u32(m + 256), 0, 0);
    assert_int_equal(at(m)[255], 0x5A); /* below the old break: kept */
    for (uint32_t i = 256; i < 1024; i++) {
        assert_int_equal(at(m)[i], 0);
    }
    assert_int_equal(at(m)[1024], 0xA5); /* unreachable: left as it was (fixture fill) */
}

/* The hardware may expose more than the break (the fake arch rounds it up to its granularity):
 * every byte the process can newly reach is zero-filled, the rounding slack included. */
static void test_growing_break_zero_fills_up_to_the_rounded_end(void **state)
{
    (void)state;
    fake_arch.mpu_granularity = 256;
    struct process *p = fixture_running(&fx, 0);
    uintptr_t m = p->mem_start;
    memset(at(m + 256), 0x77, 1024); /* stale bytes of an earlier instance */
    assert_int_equal(process_set_brk(p, m + 300), ERR_OK);
    assert_int_equal(p->mpu.accessible_end, m + 512);
    for (uint32_t i = 256; i < 512; i++) {
        assert_int_equal(at(m)[i], 0);
    }
    assert_int_equal(at(m)[512], 0x77); /* still unreachable */
}

static void test_memop_brk_outside_allowed_range_is_nomem(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uintptr_t m = p->mem_start;
    uintptr_t before = p->app_brk;
    const uint32_t bad[] = {u32(m - 1), 0, u32(p->kernel_brk + 1), 0xFFFFFFFFu};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fixture_syscall(&fx, p, 5, 0, bad[i], 0, 0);
        fixture_expect_regs(p, 2, 0, ERR_NOMEM, 0, 0);
        assert_int_equal(p->app_brk, before);
    }
    /* Once a grant lowers the kernel break, the break cannot reach it. */
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 0, 0, 0);
    assert_true(p->kernel_brk < m + p->mem_size);
    fixture_syscall(&fx, p, 5, 0, u32(p->kernel_brk + 1), 0, 0);
    fixture_expect_regs(p, 2, 0, ERR_NOMEM, 0, 0);
    fixture_syscall(&fx, p, 5, 0, u32(p->kernel_brk), 0, 0);
    fixture_expect_regs(p, 1, 128, u32(p->kernel_brk), 0, 0);
    assert_int_equal(p->app_brk, p->kernel_brk);
    fixture_syscall(&fx, p, 5, 0, u32(m), 0, 0); /* down to mem_start: allowed */
    fixture_expect_regs(p, 1, 128, u32(m), 0, 0);
}

static void test_memop_sbrk_that_wraps_is_nomem(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uintptr_t before = p->app_brk;
    uint32_t below_start = (uint32_t) - (int32_t)(before - p->mem_start + 1);
    const uint32_t bad[] = {below_start, 0x80000000u, 0x7FFFFFFFu,
                            (uint32_t) - (int32_t)(before - 0x10u)};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fixture_syscall(&fx, p, 5, 1, bad[i], 0, 0);
        fixture_expect_regs(p, 2, 0, ERR_NOMEM, 0, 0);
        assert_int_equal(p->app_brk, before);
    }
}

static void test_memop_brk_refused_when_mpu_rounding_reaches_grants(void **state)
{
    (void)state;
    fake_arch.mpu_granularity = 256;
    struct process *p = fixture_running(&fx, 0);
    uintptr_t m = p->mem_start;
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 0, 0, 0); /* allocates A's grant at the top */
    uintptr_t kb = p->kernel_brk;
    assert_true(kb % 256 != 0);
    uintptr_t last_ok = kb & ~(uintptr_t)255;
    fixture_syscall(&fx, p, 5, 0, u32(last_ok), 0, 0);
    fixture_expect_regs(p, 1, 128, u32(last_ok), 0, 0);
    fixture_syscall(&fx, p, 5, 0, u32(last_ok + 1), 0, 0); /* rounds up past kernel_brk */
    fixture_expect_regs(p, 2, 0, ERR_NOMEM, 0, 0);
    assert_int_equal(p->app_brk, last_ok);
    assert_int_equal(p->mpu.app_brk, last_ok);
    (void)m;
}

static void test_memop_address_queries(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 2);
    fixture_syscall(&fx, p, 5, 2, 0, 0, 0);
    fixture_expect_regs(p, 2, 129, u32(fixture_ram(&fx, 2)), 0, 0);
    fixture_syscall(&fx, p, 5, 3, 0, 0, 0);
    fixture_expect_regs(p, 2, 129, u32(fixture_ram(&fx, 2) + FIX_RAM_SIZE), 0, 0);
    fixture_syscall(&fx, p, 5, 4, 0, 0, 0);
    fixture_expect_regs(p, 2, 129, u32(fixture_flash(&fx, 2)), 0, 0);
    fixture_syscall(&fx, p, 5, 5, 0, 0, 0);
    fixture_expect_regs(p, 2, 129, u32(fixture_flash(&fx, 2) + FIX_FLASH_SIZE), 0, 0);
    fixture_syscall(&fx, p, 5, 6, 0, 0, 0);
    fixture_expect_regs(p, 2, 129, u32(fixture_ram(&fx, 2) + FIX_RAM_SIZE), 0, 0);
    fixture_syscall(&fx, p, 1, FIX_DRV_B, 0, 0, 0); /* a grant lowers the kernel break */
    fixture_syscall(&fx, p, 5, 6, 0, 0, 0);
    fixture_expect_regs(p, 2, 129, u32(p->kernel_brk), 0, 0);
    assert_true(p->kernel_brk < fixture_ram(&fx, 2) + FIX_RAM_SIZE);
    fixture_syscall(&fx, p, 5, 3, 0, 0, 0); /* still the end of the whole block */
    fixture_expect_regs(p, 2, 129, u32(fixture_ram(&fx, 2) + FIX_RAM_SIZE), 0, 0);
    fixture_syscall(&fx, p, 5, 7, 0, 0, 0);
    fixture_expect_regs(p, 2, 129, 2, 0, 0);
}

static void test_memop_writeable_flash_regions(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uint32_t flash = u32(p->flash_start);
    fixture_syscall(&fx, p, 5, 8, 0, 0, 0);
    fixture_expect_regs(p, 2, 129, flash + 0x400, 0, 0);
    fixture_syscall(&fx, p, 5, 9, 0, 0, 0);
    fixture_expect_regs(p, 2, 129, flash + 0x500, 0, 0);
    const uint32_t missing[] = {1, 2, 8, 0xFFFFFFFFu}; /* 1: declared with size 0 */
    for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++) {
        fixture_syscall(&fx, p, 5, 8, missing[i], 0, 0);
        fixture_expect_regs(p, 2, 0, ERR_FAIL, 0, 0);
        fixture_syscall(&fx, p, 5, 9, missing[i], 0, 0);
        fixture_expect_regs(p, 2, 0, ERR_FAIL, 0, 0);
    }
}

static void test_memop_debug_reports_record_addresses_inside_memory(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uint32_t top = u32(p->mem_start + 2048), heap = u32(p->mem_start + 3000);
    fixture_syscall(&fx, p, 5, 10, top, 0, 0);
    fixture_expect_regs(p, 1, 128, top, 0, 0);
    fixture_syscall(&fx, p, 5, 11, heap, 0, 0);
    fixture_expect_regs(p, 1, 128, heap, 0, 0);
    assert_int_equal(p->debug_stack_top, top);
    assert_int_equal(p->debug_heap_start, heap);
    fixture_syscall(&fx, p, 5, 10, 0x1000u, 0, 0); /* outside: success, not recorded */
    fixture_expect_regs(p, 1, 128, 0x1000u, 0, 0);
    fixture_syscall(&fx, p, 5, 11, u32(p->mem_start - 1), 0, 0);
    fixture_expect_regs(p, 1, 128, u32(p->mem_start - 1), 0, 0);
    assert_int_equal(p->debug_stack_top, top);
    assert_int_equal(p->debug_heap_start, heap);
}

static void test_memop_unknown_operation_is_nosupport(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    const uint32_t ops[] = {12, 13, 0x80000000u, 0xFFFFFFFFu};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        fixture_syscall(&fx, p, 5, ops[i], 1, 2, 3);
        fixture_expect_regs(p, 2, 0, ERR_NOSUPPORT, 2, 3);
    }
    assert_int_equal(p->state, PROCESS_RUNNING);
}

/* ==== Yield (class 0) ==== */

static void test_yield_no_wait_with_empty_queue_writes_zero_and_returns(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uint8_t *flag = at(p->mem_start + 20);
    *flag = 0xEE;
    fixture_syscall(&fx, p, 0, 0, u32(p->mem_start + 20), 0x12, 0x13);
    assert_int_equal(*flag, 0);
    assert_int_equal(p->context.return_writes, 0);
    fixture_expect_regs(p, 0, 0, u32(p->mem_start + 20), 0x12, 0x13);
    assert_int_equal(p->state, PROCESS_RUNNING);
}

static void test_yield_no_wait_with_work_writes_one_and_yields(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 0, fixture_code_addr(p, 0x40), 0);
    schedule(&fx.grant_a, p, 0, 5);
    uint8_t *flag = at(p->mem_start + 31); /* the last byte below the break */
    fixture_syscall(&fx, p, 0, 0, u32(p->mem_start + 31), 0, 0);
    assert_int_equal(*flag, 1);
    assert_int_equal(p->context.return_writes, 0);
    assert_int_equal(p->state, PROCESS_YIELDED);
    assert_int_equal(p->queue.count, 1); /* delivery happens in the scheduler */
}

static void test_yield_no_wait_with_only_null_records_reports_no_work(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    schedule(&fx.grant_a, p, 0, 5); /* slot 0 holds the Null Upcall */
    uint8_t *flag = at(p->mem_start + 4);
    *flag = 0xEE;
    fixture_syscall(&fx, p, 0, 0, u32(p->mem_start + 4), 0, 0);
    assert_int_equal(*flag, 0);
    assert_int_equal(p->state, PROCESS_RUNNING);
    assert_int_equal(p->queue.count, 1); /* kept for a later Yield-WaitFor */
}

static void test_yield_no_wait_writes_flag_only_inside_app_ram(void **state)
{
    (void)state;
    struct process *other = fixture_running(&fx, 0);
    struct process *p = fixture_running(&fx, 1);
    uintptr_t targets[] = {
        p->app_brk,                     /* just past the break */
        p->mem_start + p->mem_size - 1, /* kernel-owned top */
        p->flash_start + FIX_PROTECTED, /* flash */
        other->mem_start + 4,           /* another process */
        p->mem_start - 1,               /* just below RAM (slot 0's top) */
    };
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        *at(targets[i]) = 0xEE;
        fixture_syscall(&fx, p, 0, 0, u32(targets[i]), 0, 0);
        assert_int_equal(*at(targets[i]), 0xEE);
        assert_int_equal(p->context.return_writes, 0);
        assert_int_equal(p->state, PROCESS_RUNNING);
    }
    fixture_syscall(&fx, p, 0, 0, 0, 0, 0); /* no flag at all */
    assert_int_equal(p->context.return_writes, 0);
}

static void test_yield_wait_blocks_without_writing_registers(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    fixture_syscall(&fx, p, 0, 1, 0x11, 0x22, 0x33);
    assert_int_equal(p->state, PROCESS_YIELDED);
    assert_int_equal(p->context.return_writes, 0);
    fixture_expect_regs(p, 0, 1, 0x11, 0x22, 0x33);
}

static void test_yield_wait_for_records_identity(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    fixture_syscall(&fx, p, 0, 2, FIX_DRV_B, 1, 0x33);
    assert_int_equal(p->state, PROCESS_YIELDED_FOR);
    assert_int_equal(p->yield_driver, FIX_DRV_B);
    assert_int_equal(p->yield_subscribe, 1);
    assert_int_equal(p->context.return_writes, 0);
}

/* ==== Latched upcalls (record 030) ==== */

/* Subscribe 2 of driver A latched, as its grant_config.latched_upcalls would declare it (the
 * fixture recreates the grant for every test). */
static void make_a2_latched(void)
{
    fx.grant_a.latched_upcalls = 1u << 2;
    fx.grant_a.ring_upcalls = 2;
}

static void fill_ring(struct process *p)
{
    struct upcall_task other = {.kind = UPCALL_FUNCTION, .driver_num = FIX_DRV_B, .fn = 0x100};
    while (upcall_queue_push(&p->queue, &other) == ERR_OK) {
    }
}

static void test_latched_event_completes_a_waiting_yield_wait_for_at_once(void **state)
{
    (void)state;
    make_a2_latched();
    struct process *p = fixture_running(&fx, 0);
    fill_ring(p);
    fixture_syscall(&fx, p, 0, 2, FIX_DRV_A, 2, 0x33);
    assert_int_equal(p->state, PROCESS_YIELDED_FOR);
    schedule(&fx.grant_a, p, 2, 77); /* the ring is full: the slot takes it, the wait ends */
    assert_int_equal(p->state, PROCESS_RUNNING);
    fixture_expect_regs(p, 3, 77, 0, 0, 0x33);
    assert_int_equal(p->queue.count, UPCALL_QUEUE_CAPACITY);
    assert_int_equal(p->queue.latched, 0); /* delivered, not left behind */
    assert_int_equal(p->dropped_upcalls, 0);
}

static void test_yield_wait_for_takes_a_pending_latched_event(void **state)
{
    (void)state;
    make_a2_latched();
    struct process *p = fixture_running(&fx, 0);
    fill_ring(p);
    schedule(&fx.grant_a, p, 2, 5);
    schedule(&fx.grant_a, p, 2, 6); /* newest wins */
    assert_int_equal(p->dropped_upcalls, 0);
    fixture_syscall(&fx, p, 0, 2, FIX_DRV_A, 2, 0x44);
    assert_int_equal(p->state, PROCESS_RUNNING); /* inside the yield, at once */
    fixture_expect_regs(p, 3, 6, 0, 0, 0x44);
    assert_false(upcall_queue_has_match(&p->queue, FIX_DRV_A, 2)); /* exactly once */
}

static void test_latched_event_on_a_null_upcall_waits_for_the_subscribe(void **state)
{
    (void)state;
    make_a2_latched();
    struct process *p = fixture_running(&fx, 0);
    schedule(&fx.grant_a, p, 2, 9); /* nothing subscribed yet: kept, not a wake-up */
    assert_false(upcall_queue_has_function(&p->queue));
    uint32_t fn = fixture_code_addr(p, 0x80);
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 2, fn, 0xD0);
    assert_true(upcall_queue_has_function(&p->queue));
    const struct upcall_task *next = upcall_queue_first_function(&p->queue);
    assert_non_null(next);
    assert_int_equal(next->fn, fn);
    assert_int_equal(next->args[0], 9);
    assert_int_equal(next->args[3], 0xD0);
}

static void test_restart_clears_latched_events(void **state)
{
    (void)state;
    make_a2_latched();
    struct process *p = fixture_running(&fx, 0);
    schedule(&fx.grant_a, p, 2, 9);
    assert_int_not_equal(p->queue.pending, 0);
    process_restart(&fx.k, p);
    assert_false(upcall_queue_has_match(&p->queue, FIX_DRV_A, 2));
    assert_int_equal(p->queue.latched, 0);
}

static void test_bad_yield_number_faults_the_process(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 0, 0, 0); /* has a grant */
    fixture_drain_debug();
    fixture_syscall(&fx, p, 0, 3, 0, 0, 0);
    assert_int_equal(p->state, PROCESS_FAULTED);
    assert_int_equal(p->fault_count, 1);
    assert_int_equal(p->context.return_writes, 0);
    assert_int_equal(p->grant_pointers[fx.grant_a.index], 0);
    assert_null(kernel_process(&fx.k, p->pid));
    char text[2048];
    fixture_debug_text(text, sizeof text);
    assert_non_null(strstr(text, "app0"));
    assert_non_null(strstr(text, "invalid yield number"));
}

static void test_unknown_syscall_class_faults_the_process(void **state)
{
    (void)state;
    const uint32_t classes[] = {8, 9, 0xFF, 0xFFFFFFFFu};
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++) {
        struct process *p = fixture_running(&fx, 0);
        fixture_drain_debug();
        fixture_syscall(&fx, p, classes[i], 0, 0, 0, 0);
        assert_int_equal(p->state, PROCESS_FAULTED);
        assert_int_equal(p->context.return_writes, 0);
        char text[2048];
        fixture_debug_text(text, sizeof text);
        assert_non_null(strstr(text, "invalid syscall class"));
    }
}

/* ==== Exit (class 6) ==== */

struct hook_record {
    struct process_exit_hook hook;
    uint32_t calls;
    struct process_id pid;
};

static void record_exit(struct process_exit_hook *hook, struct process_id pid)
{
    struct hook_record *r = (struct hook_record *)hook;
    r->calls++;
    r->pid = pid;
}

static void test_exit_terminate_stops_the_process_for_good(void **state)
{
    (void)state;
    struct hook_record rec = {.hook = {.on_exit = record_exit}};
    kernel_add_exit_hook(&fx.k, &rec.hook);
    struct process *p = fixture_running(&fx, 0);
    struct process_id pid = p->pid;
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 0, fixture_code_addr(p, 0), 0);
    schedule(&fx.grant_a, p, 0, 1);
    fixture_syscall(&fx, p, 6, 0, 42, 0x22, 0x33);
    assert_int_equal(p->state, PROCESS_TERMINATED);
    assert_int_equal(p->completion_code, 42);
    assert_int_equal(p->queue.count, 0);
    assert_int_equal(p->grant_pointers[fx.grant_a.index], 0);
    assert_int_equal(p->context.return_writes, 0);
    assert_null(kernel_process(&fx.k, pid));
    assert_false(grant_is_allocated(&fx.grant_a, pid));
    assert_int_equal(rec.calls, 1);
    assert_true(process_id_equal(rec.pid, pid));
    assert_int_equal(p->restart_count, 0);
}

static void test_exit_restart_reloads_with_new_id_and_fresh_memory(void **state)
{
    (void)state;
    struct hook_record rec = {.hook = {.on_exit = record_exit}};
    kernel_add_exit_hook(&fx.k, &rec.hook);
    fixture_running(&fx, 1); /* takes an id, so ids are not just slot numbers */
    struct process *p = fixture_running(&fx, 0);
    struct process_id old = p->pid;
    uintptr_t m = p->mem_start;
    fixture_syscall(&fx, p, 5, 0, u32(m + 1024), 0, 0);
    fixture_syscall(&fx, p, 3, FIX_DRV_A, 0, u32(m + 512), 256);
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 0, fixture_code_addr(p, 0), 0);
    schedule(&fx.grant_a, p, 0, 1);
    memset(at(m), 0x6B, 1024);
    assert_true(p->kernel_brk < m + FIX_RAM_SIZE);

    fixture_syscall(&fx, p, 6, 1, 7, 0, 0);

    assert_int_equal(rec.calls, 1);
    assert_true(process_id_equal(rec.pid, old));
    assert_int_equal(p->pid.index, old.index);
    assert_true(p->pid.id > old.id);
    assert_null(kernel_process(&fx.k, old));
    assert_ptr_equal(kernel_process(&fx.k, p->pid), p);
    assert_int_equal(p->state, PROCESS_YIELDED);
    assert_int_equal(p->completion_code, 7);
    assert_int_equal(p->restart_count, 1);
    assert_int_equal(p->context.return_writes, 0);
    /* Fresh memory bookkeeping. */
    assert_int_equal(p->app_brk, m + 32);
    assert_int_equal(p->kernel_brk, m + FIX_RAM_SIZE);
    assert_int_equal(p->allow_high_water, m);
    assert_int_equal(p->grant_pointers[fx.grant_a.index], 0);
    /* The new instance reaches only zeroes: what it can reach now, and the old instance's data
     * when its break grows over it (grants zero-fill what they take: grant_test). */
    for (uintptr_t a = m; a < p->mpu.accessible_end; a++) {
        assert_int_equal(*(volatile uint8_t *)a, 0);
    }
    assert_int_equal(process_set_brk(p, m + 1024), ERR_OK);
    for (uint32_t i = 0; i < 1024; i++) {
        assert_int_equal(at(m)[i], 0);
    }
    assert_int_equal(process_set_brk(p, m + 32), ERR_OK);
    assert_int_equal(p->context.init_mem_start, m);
    assert_int_equal(p->context.init_app_brk, m + 32);
    /* Exactly one task: the entry call. */
    assert_int_equal(p->queue.count, 1);
    const struct upcall_task *t = &p->queue.tasks[0];
    assert_int_equal(t->kind, UPCALL_FUNCTION);
    assert_int_equal(t->driver_num, UPCALL_DRIVER_KERNEL);
    assert_int_equal(t->fn, u32(p->flash_start + FIX_PROTECTED + 0x21u));
    assert_int_equal(t->args[0], u32(p->flash_start + FIX_PROTECTED));
    assert_int_equal(t->args[1], u32(m));
    assert_int_equal(t->args[2], FIX_RAM_SIZE);
    assert_int_equal(t->args[3], u32(m + 32));
    /* Its slots start over: the first subscribe returns the Null Upcall again. */
    fixture_make_running(p);
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 0, fixture_code_addr(p, 4), 0);
    fixture_expect_regs(p, 3, 130, 0, 0, 0);
}

static void test_exit_with_unknown_kind_is_nosupport(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    fixture_syscall(&fx, p, 6, 2, 5, 0x22, 0x33);
    fixture_expect_regs(p, 2, 0, ERR_NOSUPPORT, 0x22, 0x33);
    assert_int_equal(p->state, PROCESS_RUNNING);
    assert_int_equal(p->completion_code, 0);
    fixture_syscall(&fx, p, 6, 0xFFFFFFFFu, 5, 0x22, 0x33);
    fixture_expect_regs(p, 2, 0, ERR_NOSUPPORT, 0x22, 0x33);
}

static void test_new_process_starts_with_entry_call_and_zeroed_memory(void **state)
{
    (void)state;
    struct process *p = fixture_start_process(&fx, 2);
    uintptr_t m = p->mem_start;
    assert_int_equal(p->state, PROCESS_YIELDED);
    assert_int_equal(p->app_brk, m + 32);
    assert_int_equal(p->kernel_brk, m + FIX_RAM_SIZE);
    assert_int_equal(p->allow_high_water, m);
    /* Everything it can reach is zero (the fixture filled the block with 0xA5); the rest is
     * zero-filled when the break grows over it (test_memop_growing_break_zero_fills_new_memory)
     * or a grant takes it (grant_test). */
    for (uintptr_t a = m; a < p->mpu.accessible_end; a++) {
        assert_int_equal(*(volatile uint8_t *)a, 0);
    }
    assert_int_equal(p->queue.count, 1);
    assert_int_equal(p->queue.tasks[0].args[2], FIX_RAM_SIZE);
    assert_int_equal(p->mpu.app_brk, m + 32);
    assert_int_equal(p->mpu.kernel_brk, m + FIX_RAM_SIZE);
}

/* Spec §1.10: the new break must be < mem_end. With no grant allocated the kernel break equals
 * mem_end, and process_set_brk() only checks "<= kernel_brk", so brk(mem_end) succeeds. */
static void test_brk_to_end_of_process_memory_is_nomem(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uintptr_t end = p->mem_start + p->mem_size;
    assert_int_equal(p->kernel_brk, end);
    fixture_syscall(&fx, p, 5, 0, u32(end), 0, 0);
    fixture_expect_regs(p, 2, 0, ERR_NOMEM, 0, 0);
    fixture_syscall(&fx, p, 5, 0, u32(end - 8), 0, 0);
    fixture_expect_regs(p, 1, 128, u32(end - 8), 0, 0);
    fixture_syscall(&fx, p, 5, 1, 8, 0, 0);
    fixture_expect_regs(p, 2, 0, ERR_NOMEM, 0, 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_first_subscribe_returns_null_upcall_as_success_2u32),
        T(test_subscribe_swap_returns_previous_upcall),
        T(test_subscribe_missing_driver_is_nodevice_echoing_inputs),
        T(test_subscribe_slot_out_of_range_is_nosupport),
        T(test_subscribe_driver_without_grant_is_nomem),
        T(test_subscribe_fn_outside_process_memory_is_inval),
        T(test_subscribe_fn_in_app_ram_is_accepted),
        T(test_subscribe_fn_into_protected_header_is_inval),
        T(test_subscribe_null_fn_is_always_valid),
        T(test_subscribe_swap_removes_queued_calls_but_keeps_null_records),
        T(test_failed_subscribe_leaves_queue_alone),
        T(test_rw_allow_returns_previous_buffer),
        T(test_ro_rw_and_ur_allow_slots_are_independent),
        T(test_zero_length_allow_accepts_any_address_and_returns_it),
        T(test_allow_outside_app_ram_is_inval),
        T(test_allow_with_wrapping_length_is_inval),
        T(test_ro_allow_into_app_flash_after_protected_region_is_ok),
        T(test_ro_allow_into_protected_header_is_inval),
        T(test_rw_and_ur_allow_into_flash_is_inval),
        T(test_allow_driver_without_grant_is_nomem),
        T(test_allow_missing_driver_is_nodevice_and_bad_slot_nosupport),
        T(test_allow_high_water_mark_keeps_brk_above_shared_buffers),
        T(test_command_missing_driver_is_failure_nodevice),
        T(test_command_passes_arguments_and_result_through),
        T(test_each_return_variant_writes_exactly_its_registers),
        T(test_memop_brk_moves_break_and_returns_success),
        T(test_memop_sbrk_returns_old_break),
        T(test_memop_growing_break_zero_fills_new_memory),
        T(test_growing_break_zero_fills_up_to_the_rounded_end),
        T(test_memop_brk_outside_allowed_range_is_nomem),
        T(test_memop_sbrk_that_wraps_is_nomem),
        T(test_memop_brk_refused_when_mpu_rounding_reaches_grants),
        T(test_memop_address_queries),
        T(test_memop_writeable_flash_regions),
        T(test_memop_debug_reports_record_addresses_inside_memory),
        T(test_memop_unknown_operation_is_nosupport),
        T(test_yield_no_wait_with_empty_queue_writes_zero_and_returns),
        T(test_yield_no_wait_with_work_writes_one_and_yields),
        T(test_yield_no_wait_with_only_null_records_reports_no_work),
        T(test_yield_no_wait_writes_flag_only_inside_app_ram),
        T(test_yield_wait_blocks_without_writing_registers),
        T(test_yield_wait_for_records_identity),
        T(test_latched_event_completes_a_waiting_yield_wait_for_at_once),
        T(test_yield_wait_for_takes_a_pending_latched_event),
        T(test_latched_event_on_a_null_upcall_waits_for_the_subscribe),
        T(test_restart_clears_latched_events),
        T(test_bad_yield_number_faults_the_process),
        T(test_unknown_syscall_class_faults_the_process),
        T(test_exit_terminate_stops_the_process_for_good),
        T(test_exit_restart_reloads_with_new_id_and_fresh_memory),
        T(test_exit_with_unknown_kind_is_nosupport),
        T(test_new_process_starts_with_entry_call_and_zeroed_memory),
        T(test_brk_to_end_of_process_memory_is_nomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
