/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the small kernels' fault handling (CONFIG=core): the brief report
 * (kernel/fault_report_brief.c): the headline names the fault and its address (or none when
 * the hardware gives none), the pc line gives the offset into the app's binary when the pc
 * lies there, and the dump follows; and restarts without a clock (kernel/fault_restart_now.c):
 * at once, counting the streak up to the budget.
 *
 * Usage: make build/host/fault_report_brief_test && build/host/fault_report_brief_test
 *
 * Invariants: as fault_report_test.c, with the brief report linked instead of the full one.
 */
#include "kernel_fixture.h"

#include "kernel/fault_report.h"

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

static void report_of(struct process *p, const char *reason, char *text, size_t cap)
{
    fixture_make_running(p);
    fixture_drain_debug();
    fault_report(&fx.k, p, reason);
    fixture_debug_text(text, cap);
}

static void test_headline_address_and_pc_offset(void **state)
{
    (void)state;
    struct process *p = fixture_start_process(&fx, 0);
    fake_arch.fault = (struct arch_fault){ .is_hardware_fault = true, .source = "MemManage",
                                           .kind = "data access violation",
                                           .address_known = true, .address = 0x20000000u,
                                           .pc_known = true,
                                           .pc = p->flash_start + FIX_PROTECTED + 0x114 };
    char text[4096];
    report_of(p, NULL, text, sizeof text);
    char expected[160];
    snprintf(expected, sizeof expected,
             "[kernel] process app0 (id %u) faulted: MemManage, data access violation at "
             "0x20000000\n  pc 0x%08x (app binary + 0x0114)\n  process app0",
             (unsigned)p->pid.id, (unsigned)(p->flash_start + FIX_PROTECTED + 0x114));
    if (strstr(text, expected) == NULL) {
        fail_msg("no \"%s\" in:\n%s", expected, text);
    }
}

static void test_no_address_and_pc_outside_the_binary(void **state)
{
    (void)state;
    struct process *p = fixture_start_process(&fx, 0);
    fake_arch.fault = (struct arch_fault){ .is_hardware_fault = true, .source = "",
                                           .kind = "imprecise bus error", .pc_known = true,
                                           .pc = 0x100u };
    char text[4096];
    report_of(p, NULL, text, sizeof text);
    assert_non_null(strstr(text, "faulted: imprecise bus error\n  process app0"));
}

static void test_kernel_reason(void **state)
{
    (void)state;
    struct process *p = fixture_start_process(&fx, 0);
    char text[4096];
    report_of(p, "invalid syscall class", text, sizeof text);
    assert_non_null(strstr(text, "faulted: invalid syscall class\n"));
}

static void test_restarts_at_once_and_counts_the_streak(void **state)
{
    (void)state;
    fixture_fini(&fx);
    fixture_init_policy(&fx, (struct process_fault_policy){ .action = PROCESS_FAULT_RESTART,
                                                             .max_restarts = 2,
                                                             .backoff_ms = 10,
                                                             .healthy_ms = 100 });
    struct process *p = fixture_start_process(&fx, 0);
    char text[8192];
    for (uint32_t i = 1; i <= 2; i++) {
        fixture_make_running(p);
        fixture_drain_debug();
        process_fault(&fx.k, p, "test fault");
        assert_int_equal(p->state, PROCESS_YIELDED); /* no clock: no back-off */
        assert_int_equal(p->fault_streak, i);
        assert_false(p->on_probation);
        fixture_debug_text(text, sizeof text);
        char line[64];
        snprintf(line, sizeof line, "restarting after fault (%u of 2)\n", (unsigned)i);
        assert_non_null(strstr(text, line));
    }
    fixture_make_running(p);
    process_fault(&fx.k, p, "test fault");
    assert_int_equal(p->state, PROCESS_FAULTED);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_headline_address_and_pc_offset),
        T(test_no_address_and_pc_outside_the_binary),
        T(test_kernel_reason),
        T(test_restarts_at_once_and_counts_the_streak),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
