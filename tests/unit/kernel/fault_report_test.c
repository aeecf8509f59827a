/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for fault reports (kernel/fault_report.c): every kind of place a faulting address
 * can lie in, seen from the faulting process (its RAM below and above the break, its grants,
 * header and binary, other processes, free app memory, the kernel, peripherals, nothing); the
 * stack-overflow reading of an address just below the process's RAM, to the byte of the
 * window; and the report's headline, status and pc lines as the scheduler prints them.
 *
 * Usage: make build/host/fault_report_test && build/host/fault_report_test
 *
 * Invariants: the board map the tests give the kernel (kernel flash, kernel RAM, one
 * peripheral range) lies far below the fixture's mmap'd app memory.
 */
#include "kernel_fixture.h"

#include "kernel/fault_report.h"

static struct fixture fx;

static const struct memory_range peripherals[] = { { 0x5000u, 0x6000u } };
static const struct kernel_memory_map memory_map = {
    .kernel_flash = { 0x1000u, 0x2000u },
    .kernel_ram = { 0x3000u, 0x4000u },
    .peripherals = peripherals,
    .peripheral_count = 1,
};

static int setup(void **state)
{
    (void)state;
    fixture_init(&fx);
    kernel_set_memory_map(&fx.k, &memory_map);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fixture_fini(&fx);
    return 0;
}

/* The text for `address` seen from p, for an access of `access`. */
static const char *place_text(const struct process *p, uintptr_t address,
                              enum arch_access access)
{
    static char text[160];
    struct fault_place place = fault_place_of(&fx.k, p, address);
    fault_place_text(&place, access, text, sizeof text);
    return text;
}

static void test_places_in_the_process_itself(void **state)
{
    (void)state;
    struct process *p = fixture_start_process(&fx, 0);
    assert_int_equal(process_set_brk(p, p->mem_start + 256), ERR_OK);
    struct fault_place place = fault_place_of(&fx.k, p, p->mem_start + 12);
    assert_int_equal(place.kind, FAULT_PLACE_OWN_RAM);
    assert_int_equal(place.offset, 12);
    assert_string_equal(place_text(p, p->mem_start + 12, ARCH_ACCESS_READ), "own RAM");
    assert_string_equal(place_text(p, p->mem_start + 12, ARCH_ACCESS_EXECUTE),
                        "own RAM (execute: RAM is not executable)");
    assert_string_equal(place_text(p, p->app_brk, ARCH_ACCESS_READ),
                        "own RAM above the app break");
    assert_string_equal(place_text(p, p->app_brk, ARCH_ACCESS_WRITE),
                        "own RAM above the app break (write)");
    p->kernel_brk -= 64; /* as if a grant took the top 64 bytes */
    assert_string_equal(place_text(p, p->mem_start + p->mem_size - 1, ARCH_ACCESS_READ),
                        "grant region");
    assert_string_equal(place_text(p, p->flash_start, ARCH_ACCESS_UNKNOWN),
                        "own TBF header (protected) (write)");
    place = fault_place_of(&fx.k, p, p->flash_start + FIX_PROTECTED + 0x40);
    assert_int_equal(place.kind, FAULT_PLACE_OWN_FLASH);
    assert_int_equal(place.offset, 0x40);
    /* Flash is readable: a data access the hardware does not qualify was a write. */
    assert_string_equal(place_text(p, p->flash_start + FIX_PROTECTED, ARCH_ACCESS_UNKNOWN),
                        "own flash (write)");
    assert_string_equal(place_text(p, p->flash_start + FIX_PROTECTED, ARCH_ACCESS_WRITE),
                        "own flash (write)");
    assert_string_equal(place_text(p, p->flash_start + FIX_PROTECTED, ARCH_ACCESS_EXECUTE),
                        "own flash");
}

static void test_places_of_other_processes_and_free_app_memory(void **state)
{
    (void)state;
    struct process *p0 = fixture_start_process(&fx, 0);
    struct process *p1 = fixture_start_process(&fx, 1);
    struct fault_place place = fault_place_of(&fx.k, p0, p1->mem_start + 100);
    assert_int_equal(place.kind, FAULT_PLACE_OTHER_RAM);
    assert_ptr_equal(place.other, p1);
    assert_int_equal(place.offset, 100);
    assert_string_equal(place_text(p0, p1->mem_start + 100, ARCH_ACCESS_READ),
                        "another process's RAM (app1)");
    assert_string_equal(place_text(p0, p1->flash_start + 8, ARCH_ACCESS_EXECUTE),
                        "another process's flash (app1)");
    /* Slot 2 was never loaded: its memory belongs to no process. */
    assert_string_equal(place_text(p0, fixture_ram(&fx, 2), ARCH_ACCESS_READ),
                        "app RAM no process holds");
    assert_string_equal(place_text(p0, fixture_flash(&fx, 2), ARCH_ACCESS_READ),
                        "app flash no process holds");
    /* A process that ended still holds its blocks (the slot is not reused). */
    process_terminate(&fx.k, p1, 0);
    assert_string_equal(place_text(p0, p1->mem_start, ARCH_ACCESS_READ),
                        "another process's RAM (app1)");
}

static void test_places_of_the_board(void **state)
{
    (void)state;
    struct process *p = fixture_start_process(&fx, 0);
    assert_string_equal(place_text(p, 0x1000u, ARCH_ACCESS_EXECUTE), "kernel flash");
    assert_string_equal(place_text(p, 0x3ffcu, ARCH_ACCESS_READ), "kernel RAM");
    assert_string_equal(place_text(p, 0x5000u, ARCH_ACCESS_READ), "peripheral");
    assert_string_equal(place_text(p, 0x6000u, ARCH_ACCESS_READ), "unmapped");
    assert_string_equal(place_text(p, 0x10u, ARCH_ACCESS_READ), "unmapped");
    /* A board that gives no map: everything outside app memory is unmapped. */
    kernel_set_memory_map(&fx.k, NULL);
    assert_string_equal(place_text(p, 0x3ffcu, ARCH_ACCESS_READ), "unmapped");
}

static void test_just_below_the_ram_reads_as_a_stack_overflow(void **state)
{
    (void)state;
    struct process *p0 = fixture_start_process(&fx, 0);
    struct process *p1 = fixture_start_process(&fx, 1);
    assert_string_equal(place_text(p1, p1->mem_start - 8, ARCH_ACCESS_WRITE),
                        "8 bytes below the stack start (stack overflow), in another process's "
                        "RAM");
    struct fault_place place =
        fault_place_of(&fx.k, p1, p1->mem_start - FAULT_STACK_OVERFLOW_WINDOW);
    assert_int_equal(place.below_stack, FAULT_STACK_OVERFLOW_WINDOW);
    assert_ptr_equal(place.other, p0);
    place = fault_place_of(&fx.k, p1, p1->mem_start - FAULT_STACK_OVERFLOW_WINDOW - 1);
    assert_int_equal(place.below_stack, 0);
    /* Below the first process: the overflow lands wherever the board puts it. */
    p0->mem_start = 0x4000u;
    assert_string_equal(place_text(p0, 0x3ff8u, ARCH_ACCESS_UNKNOWN),
                        "8 bytes below the stack start (stack overflow), in kernel RAM");
}

/* ---- the report, as the scheduler prints it ---- */

static void fault_and_read_report(struct process *p, char *text, size_t cap)
{
    fixture_drain_debug();
    fake_arch_script(&p->context, ARCH_SWITCH_FAULT);
    assert_true(kernel_step(&fx.k));
    assert_int_equal(p->state, PROCESS_FAULTED);
    fixture_debug_text(text, cap);
}

static void test_report_names_fault_address_place_and_pc_offset(void **state)
{
    (void)state;
    struct process *p = fixture_start_process(&fx, 1);
    fake_arch.fault = (struct arch_fault){ .is_hardware_fault = true,
                                           .source = "MemManage",
                                           .kind = "data access violation",
                                           .address_known = true,
                                           .address = p->mem_start - 8,
                                           .pc_known = true,
                                           .pc = p->flash_start + FIX_PROTECTED + 0x73c };
    char text[4096];
    fault_and_read_report(p, text, sizeof text);
    char headline[256];
    snprintf(headline, sizeof headline,
             "[kernel] process app1 (id %u) faulted: MemManage, data access violation at "
             "0x%08x: 8 bytes below the stack start (stack overflow), in app RAM no process "
             "holds\n",
             (unsigned)p->pid.id, (unsigned)(p->mem_start - 8));
    assert_non_null(strstr(text, headline));
    assert_non_null(strstr(text, "  fake status: pc"));
    char pc_line[96];
    snprintf(pc_line, sizeof pc_line, "  pc 0x%08x (app binary + 0x073c)",
             (unsigned)(p->flash_start + FIX_PROTECTED + 0x73c));
    if (strstr(text, pc_line) == NULL) {
        fail_msg("no \"%s\" in:\n%s", pc_line, text);
    }
    /* The dump follows the headline. */
    assert_true(strstr(text, "memory map:") > strstr(text, headline));
}

static void test_report_without_an_address_says_so(void **state)
{
    (void)state;
    struct process *p = fixture_start_process(&fx, 0);
    fake_arch.fault = (struct arch_fault){ .is_hardware_fault = true, .source = "",
                                           .kind = "imprecise bus error" };
    char text[4096];
    fault_and_read_report(p, text, sizeof text);
    assert_non_null(strstr(text, "faulted: imprecise bus error (the hardware gives no address)\n"));
}

static void test_kernel_ended_fault_prints_its_reason_and_pc(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    p->context.pc = (uint32_t)(p->flash_start + FIX_PROTECTED + 0x10);
    fixture_drain_debug();
    process_fault(&fx.k, p, "invalid syscall class");
    char text[4096];
    fixture_debug_text(text, sizeof text);
    assert_non_null(strstr(text, "faulted: invalid syscall class\n  pc 0x"));
    assert_non_null(strstr(text, "(app binary + 0x0010)"));
    assert_null(strstr(text, "fake status"));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_places_in_the_process_itself),
        T(test_places_of_other_processes_and_free_app_memory),
        T(test_places_of_the_board),
        T(test_just_below_the_ram_reads_as_a_stack_overflow),
        T(test_report_names_fault_address_place_and_pc_offset),
        T(test_report_without_an_address_says_so),
        T(test_kernel_ended_fault_prints_its_reason_and_pc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
