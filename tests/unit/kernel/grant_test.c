/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for grants (kernel/grant.c) against ABI §4 and the contract in grant.h:
 * registration rules, allocation from the top of process RAM, scoped entry, lifetime across
 * exit/restart, upcall scheduling and bounds-checked buffer access.
 *
 * Usage: make build/host/grant_test build/host-san/grant_test && build/host/grant_test
 */
#include "kernel_fixture.h"

#include "kernel/grant.h"
#include "kernel/grant_internal.h"

static struct fixture fx;

static int setup(void **state)
{
    (void)state;
    fixture_init(&fx);
    return 0;
}

static int setup_unloaded(void **state)
{
    (void)state;
    fixture_init_unloaded(&fx, (struct process_fault_policy){ .action = PROCESS_FAULT_STOP });
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fake_arch.halt_jmp = NULL;
    debug_set_panic_putc(NULL);
    fixture_fini(&fx);
    return 0;
}

static uint8_t *at(uintptr_t address)
{
    return (uint8_t *)address;
}

/* ---- a recording grant_fn ---- */

struct visit {
    uint32_t calls;
    void *data;
    struct process_id pid;
    err_t result;           /* what the fn returns */
    uint8_t first_bytes[8]; /* data[0..8) at entry */
    uint8_t fill;           /* written over data_size bytes when nonzero */
    uint32_t fill_size;
};

static err_t record(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct visit *v = ctx;
    v->calls++;
    v->data = data;
    v->pid = grant_process(kd);
    memcpy(v->first_bytes, data, 8); /* both fixture grants hold at least 8 data bytes */
    if (v->fill != 0) {
        memset(data, v->fill, v->fill_size);
    }
    return v->result;
}

/* ==== grant_create ==== */

static void test_create_numbers_grants_in_order(void **state)
{
    (void)state;
    assert_int_equal(fx.grant_a.index, 0);
    assert_int_equal(fx.grant_b.index, 1);
    assert_int_equal(fx.k.grant_count, 2);
    assert_ptr_equal(fx.k.grants[1], &fx.grant_b);
    assert_ptr_equal(fx.grant_a.kernel, &fx.k);
    struct grant g;
    struct grant_config c = {.driver_num = 0x77, .data_size = 3, .data_align = 1};
    assert_int_equal(grant_create(&g, &fx.k, &c), ERR_OK);
    assert_int_equal(g.index, 2);
    assert_int_equal(g.driver_num, 0x77);
    assert_int_equal(g.data_align, 4); /* never below the slot words' alignment */
}

static void test_create_after_load_is_already(void **state)
{
    (void)state;
    struct grant g;
    struct grant_config c = {.driver_num = 0x77, .data_size = 4, .data_align = 4};
    fx.k.processes_loaded = true;
    assert_int_equal(grant_create(&g, &fx.k, &c), ERR_ALREADY);
    assert_int_equal(fx.k.grant_count, 2);
}

static void test_create_duplicate_driver_is_already(void **state)
{
    (void)state;
    struct grant g;
    struct grant_config c = {.driver_num = FIX_DRV_B, .data_size = 4, .data_align = 4};
    assert_int_equal(grant_create(&g, &fx.k, &c), ERR_ALREADY);
    assert_int_equal(fx.k.grant_count, 2);
}

static void test_create_bad_alignment_is_inval(void **state)
{
    (void)state;
    const uint32_t bad[] = {0, 3, 6, 16, 0x80000000u};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct grant g;
        struct grant_config c = {
            .driver_num = 0x100 + (uint32_t)i, .data_size = 4, .data_align = bad[i]};
        assert_int_equal(grant_create(&g, &fx.k, &c), ERR_INVAL);
    }
    assert_int_equal(fx.k.grant_count, 2);
}

static void test_create_when_table_full_is_nomem(void **state)
{
    (void)state;
    static struct grant extra[PROCESS_MAX_GRANTS];
    for (uint32_t i = 2; i < PROCESS_MAX_GRANTS; i++) {
        struct grant_config c = {.driver_num = 0x100 + i, .data_size = 4, .data_align = 4};
        assert_int_equal(grant_create(&extra[i], &fx.k, &c), ERR_OK);
        assert_int_equal(extra[i].index, i);
    }
    struct grant g;
    struct grant_config c = {.driver_num = 0x200, .data_size = 4, .data_align = 4};
    assert_int_equal(grant_create(&g, &fx.k, &c), ERR_NOMEM);
    assert_int_equal(fx.k.grant_count, PROCESS_MAX_GRANTS);
}

/* ==== allocation ==== */

static void test_first_enter_allocates_zeroed_instance_at_top_of_ram(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uintptr_t end = p->mem_start + p->mem_size;
    memset(at(end - 256), 0xCC, 256); /* stale bytes where the grant will go */
    struct visit v = {.result = ERR_OK, .fill = 0x11, .fill_size = 16};
    assert_int_equal(grant_enter(&fx.grant_a, p->pid, record, &v), ERR_OK);
    assert_int_equal(v.calls, 1);
    assert_true(process_id_equal(v.pid, p->pid));
    /* A: (3 + 2 + 2 + 1) slots x 8 bytes of header, then 16 data bytes. */
    assert_int_equal(p->kernel_brk, end - 80);
    assert_int_equal(p->grant_pointers[fx.grant_a.index], end - 80);
    assert_ptr_equal(v.data, at(end - 16));
    for (size_t i = 0; i < 8; i++) {
        assert_int_equal(v.first_bytes[i], 0);
    }
    for (uintptr_t a = end - 80; a < end - 16; a++) {
        assert_int_equal(*at(a), 0); /* slots zeroed: no stale upcalls or buffers */
    }
    assert_int_equal(p->mpu.kernel_brk, end - 80); /* the MPU was told */
    assert_int_equal(*at(end - 81), 0xCC);         /* nothing below the instance touched */
    /* Second entry: same instance, data kept, nothing more allocated. */
    struct visit again = {.result = ERR_OK};
    assert_int_equal(grant_enter(&fx.grant_a, p->pid, record, &again), ERR_OK);
    assert_ptr_equal(again.data, v.data);
    assert_int_equal(again.first_bytes[0], 0x11);
    assert_int_equal(p->kernel_brk, end - 80);
}

static void test_second_grant_goes_below_first_and_is_aligned(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uintptr_t end = p->mem_start + p->mem_size;
    struct visit va = {.result = ERR_OK}, vb = {.result = ERR_OK};
    assert_int_equal(grant_enter(&fx.grant_a, p->pid, record, &va), ERR_OK);
    assert_int_equal(grant_enter(&fx.grant_b, p->pid, record, &vb), ERR_OK);
    /* B: (2 + 1 + 1) slots x 8 = 32 bytes of header, 8 data bytes aligned to 8. */
    assert_int_equal(p->kernel_brk, end - 80 - 40);
    assert_ptr_equal(vb.data, at(end - 80 - 8));
    assert_int_equal((uintptr_t)vb.data % 8, 0);
    assert_true(grant_is_allocated(&fx.grant_a, p->pid));
    assert_true(grant_is_allocated(&fx.grant_b, p->pid));
}

static void test_enter_returns_the_callbacks_result(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    struct visit v = {.result = ERR_BUSY};
    assert_int_equal(grant_enter(&fx.grant_a, p->pid, record, &v), ERR_BUSY);
    assert_int_equal(v.calls, 1);
    assert_true(grant_is_allocated(&fx.grant_a, p->pid)); /* allocation stays */
}

static void test_allocation_that_would_cross_app_break_is_nomem(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uintptr_t end = p->mem_start + p->mem_size;
    assert_int_equal(process_set_brk(p, end - 100), ERR_OK);
    struct visit v = {.result = ERR_OK};
    assert_int_equal(grant_enter(&fx.grant_a, p->pid, record, &v), ERR_OK); /* 80 fit */
    assert_int_equal(p->kernel_brk, end - 80);
    struct visit vb = {.result = ERR_OK};
    assert_int_equal(grant_enter(&fx.grant_b, p->pid, record, &vb), ERR_NOMEM); /* 40 > 20 */
    assert_int_equal(vb.calls, 0);
    assert_int_equal(p->kernel_brk, end - 80);
    assert_false(grant_is_allocated(&fx.grant_b, p->pid));
    /* The same through the subscribe syscall. */
    fixture_syscall(&fx, p, 1, FIX_DRV_B, 0, 0, 5);
    fixture_expect_regs(p, 4, 2, ERR_NOMEM, 0, 5);
}

static void test_allocation_refused_when_mpu_rounding_would_expose_it(void **state)
{
    (void)state;
    fake_arch.mpu_granularity = 256;
    struct process *p = fixture_running(&fx, 0);
    uintptr_t end = p->mem_start + p->mem_size;
    /* Break at end-200: the app can reach up to end (rounded to 256), so no grant fits. */
    assert_int_equal(process_set_brk(p, end - 200), ERR_OK);
    assert_int_equal(p->mpu.accessible_end, end);
    struct visit v = {.result = ERR_OK};
    assert_int_equal(grant_enter(&fx.grant_b, p->pid, record, &v), ERR_NOMEM);
    assert_int_equal(v.calls, 0);
    assert_int_equal(p->kernel_brk, end);
    assert_int_equal(p->grant_pointers[fx.grant_b.index], 0);
    /* With the break a whole granule lower it fits. */
    assert_int_equal(process_set_brk(p, end - 256), ERR_OK);
    assert_int_equal(grant_enter(&fx.grant_b, p->pid, record, &v), ERR_OK);
    assert_int_equal(p->kernel_brk, end - 40);
}

/* ==== entry rules ==== */

/* grant_enter_existing: runs fn only on an instance that exists; allocates nothing. */
static void test_enter_existing_never_allocates(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    struct process *q = fixture_running(&fx, 1);
    uintptr_t kernel_brk = p->kernel_brk;
    struct visit v = {.result = ERR_BUSY};
    assert_int_equal(grant_enter_existing(&fx.grant_a, p->pid, record, &v), ERR_NODEVICE);
    assert_int_equal(v.calls, 0);
    assert_false(grant_is_allocated(&fx.grant_a, p->pid));
    assert_int_equal(p->kernel_brk, kernel_brk);
    assert_int_equal(grant_enter(&fx.grant_a, p->pid, record, &v), ERR_BUSY); /* allocates */
    void *instance = v.data;
    v.fill = 0x5A;
    v.fill_size = 4;
    assert_int_equal(grant_enter_existing(&fx.grant_a, p->pid, record, &v), ERR_BUSY);
    assert_int_equal(v.calls, 2);
    assert_ptr_equal(v.data, instance);
    assert_int_equal(v.first_bytes[0], 0); /* the instance the first entry zeroed */
    assert_int_equal(p->grants_entered, 0);
    /* Dead or stale identities: NODEVICE, like a process without the instance. */
    struct process_id old = q->pid;
    assert_int_equal(grant_enter(&fx.grant_a, q->pid, record, &v), ERR_BUSY);
    process_restart(&fx.k, q);
    assert_int_equal(grant_enter_existing(&fx.grant_a, old, record, &v), ERR_NODEVICE);
    struct process_id out_of_range = {.index = FIX_PROCS, .id = old.id};
    assert_int_equal(grant_enter_existing(&fx.grant_a, out_of_range, record, &v), ERR_NODEVICE);
    assert_int_equal(v.calls, 3);
}

static void test_enter_dead_or_stale_process_is_inval(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    struct process *q = fixture_running(&fx, 1);
    struct process_id old = q->pid;
    struct visit v = {.result = ERR_OK};
    process_restart(&fx.k, q);
    assert_int_equal(grant_enter(&fx.grant_a, old, record, &v), ERR_INVAL);
    struct process_id terminated = p->pid;
    process_terminate(&fx.k, p, 0);
    assert_int_equal(grant_enter(&fx.grant_a, terminated, record, &v), ERR_INVAL);
    struct process_id empty = {.index = 2, .id = 0}; /* slot 2 never loaded */
    assert_int_equal(grant_enter(&fx.grant_a, empty, record, &v), ERR_INVAL);
    struct process_id out_of_range = {.index = FIX_PROCS, .id = q->pid.id};
    assert_int_equal(grant_enter(&fx.grant_a, out_of_range, record, &v), ERR_INVAL);
    struct process_id wrong_slot = {.index = 0, .id = q->pid.id};
    assert_int_equal(grant_enter(&fx.grant_a, wrong_slot, record, &v), ERR_INVAL);
    assert_int_equal(v.calls, 0);
    assert_int_equal(grant_enter(&fx.grant_a, q->pid, record, &v), ERR_OK);
    assert_int_equal(v.calls, 1);
}

static void test_enter_stopped_process_is_allowed(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    p->state = PROCESS_STOPPED;
    struct visit v = {.result = ERR_OK};
    assert_int_equal(grant_enter(&fx.grant_a, p->pid, record, &v), ERR_OK);
    assert_int_equal(v.calls, 1);
}

struct nested {
    struct grant *inner;
    struct process_id pid;
    bool use_each;
    uint32_t inner_calls;
    err_t inner_result;
};

static err_t count_inner(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)data;
    (void)kd;
    ((struct nested *)ctx)->inner_calls++;
    return ERR_OK;
}

static void each_inner(struct process_id pid, void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)pid;
    (void)data;
    (void)kd;
    ((struct nested *)ctx)->inner_calls++;
}

static err_t enter_again(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)data;
    (void)kd;
    struct nested *n = ctx;
    if (n->use_each) {
        grant_each(n->inner, each_inner, n);
    } else {
        n->inner_result = grant_enter(n->inner, n->pid, count_inner, n);
    }
    return ERR_OK;
}

static void test_reentering_a_grant_panics(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    jmp_buf halted;
    fixture_capture_panic(&halted);
    struct nested n = {.inner = &fx.grant_a, .pid = p->pid};
    if (setjmp(halted) == 0) {
        err_t never = grant_enter(&fx.grant_a, p->pid, enter_again, &n);
        fail_msg("returned %d: ", (int)never);
        fail_msg("re-entry did not panic");
    }
    assert_int_equal(fake_arch.halts, 1);
    assert_int_equal(n.inner_calls, 0);
    assert_non_null(strstr(fixture_panic()->text, "kernel panic"));
    assert_non_null(strstr(fixture_panic()->text, "grant entered twice"));
}

static void test_grant_each_inside_enter_of_same_grant_panics(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    jmp_buf halted;
    fixture_capture_panic(&halted);
    struct nested n = {.inner = &fx.grant_a, .pid = p->pid, .use_each = true};
    if (setjmp(halted) == 0) {
        err_t never = grant_enter(&fx.grant_a, p->pid, enter_again, &n);
        fail_msg("returned %d: ", (int)never);
        fail_msg("grant_each inside grant_enter did not panic");
    }
    assert_int_equal(fake_arch.halts, 1);
    assert_int_equal(n.inner_calls, 0);
}

static void test_entering_another_grant_or_process_inside_enter_is_fine(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    struct process *q = fixture_running(&fx, 1);
    struct nested n = {.inner = &fx.grant_b, .pid = p->pid};
    assert_int_equal(grant_enter(&fx.grant_a, p->pid, enter_again, &n), ERR_OK);
    assert_int_equal(n.inner_result, ERR_OK);
    n = (struct nested){.inner = &fx.grant_a, .pid = q->pid};
    assert_int_equal(grant_enter(&fx.grant_a, p->pid, enter_again, &n), ERR_OK);
    assert_int_equal(n.inner_result, ERR_OK);
    assert_int_equal(n.inner_calls, 1);
    assert_int_equal(p->grants_entered, 0); /* every bit cleared on the way out */
    assert_int_equal(q->grants_entered, 0);
}

/* ==== grant_each ==== */

struct each_log {
    uint32_t count;
    struct process_id pids[FIX_PROCS];
    uint8_t first_byte[FIX_PROCS];
};

static void log_each(struct process_id pid, void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct each_log *log = ctx;
    assert_true(process_id_equal(grant_process(kd), pid));
    log->pids[log->count] = pid;
    log->first_byte[log->count] = *(uint8_t *)data;
    log->count++;
}

static void test_each_visits_only_live_processes_with_the_grant(void **state)
{
    (void)state;
    struct process *p0 = fixture_running(&fx, 0);
    struct process *p1 = fixture_running(&fx, 1);
    struct process *p2 = fixture_running(&fx, 2);
    struct visit v0 = {.result = ERR_OK, .fill = 0xA0, .fill_size = 1};
    struct visit v2 = {.result = ERR_OK, .fill = 0xA2, .fill_size = 1};
    assert_int_equal(grant_enter(&fx.grant_a, p2->pid, record, &v2), ERR_OK);
    assert_int_equal(grant_enter(&fx.grant_a, p0->pid, record, &v0), ERR_OK);
    struct visit vb = {.result = ERR_OK};
    assert_int_equal(grant_enter(&fx.grant_b, p1->pid, record, &vb), ERR_OK); /* other grant */
    struct each_log log = {0};
    grant_each(&fx.grant_a, log_each, &log);
    assert_int_equal(log.count, 2);
    assert_true(process_id_equal(log.pids[0], p0->pid)); /* slot order */
    assert_int_equal(log.first_byte[0], 0xA0);
    assert_true(process_id_equal(log.pids[1], p2->pid));
    assert_int_equal(log.first_byte[1], 0xA2);
    /* A faulted process drops out. */
    p2->fault_policy.action = PROCESS_FAULT_STOP;
    process_fault(&fx.k, p2, "test");
    fixture_drain_debug();
    log = (struct each_log){0};
    grant_each(&fx.grant_a, log_each, &log);
    assert_int_equal(log.count, 1);
    assert_true(process_id_equal(log.pids[0], p0->pid));
    assert_int_equal(p0->grants_entered, 0);
}

static void test_grants_vanish_on_terminate_and_restart(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    struct process *q = fixture_running(&fx, 1);
    uintptr_t q_end = q->mem_start + q->mem_size;
    struct visit v = {.result = ERR_OK, .fill = 0x55, .fill_size = 16};
    assert_int_equal(grant_enter(&fx.grant_a, p->pid, record, &v), ERR_OK);
    assert_int_equal(grant_enter(&fx.grant_a, q->pid, record, &v), ERR_OK);
    assert_int_equal(grant_enter(&fx.grant_b, q->pid, record, &v), ERR_OK);
    struct process_id p_old = p->pid;
    process_terminate(&fx.k, p, 3);
    assert_false(grant_is_allocated(&fx.grant_a, p_old));
    assert_int_equal(p->grant_pointers[fx.grant_a.index], 0);
    process_restart(&fx.k, q);
    assert_int_equal(q->kernel_brk, q_end); /* grant memory reclaimed */
    assert_false(grant_is_allocated(&fx.grant_a, q->pid));
    assert_false(grant_is_allocated(&fx.grant_b, q->pid));
    struct visit fresh = {.result = ERR_OK, .fill_size = 16};
    assert_int_equal(grant_enter(&fx.grant_a, q->pid, record, &fresh), ERR_OK);
    for (size_t i = 0; i < 16; i++) {
        assert_int_equal(((uint8_t *)fresh.data)[i], 0); /* not the 0x55 of the old instance */
    }
    struct each_log log = {0};
    grant_each(&fx.grant_a, log_each, &log);
    assert_int_equal(log.count, 1);
    assert_true(process_id_equal(log.pids[0], q->pid));
}

/* ==== upcalls ==== */

struct upcall_args {
    uint32_t sub, a0, a1, a2;
    err_t result;
    bool remove_after;
    uint32_t remove_sub;
};

static err_t schedule_fn(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)data;
    struct upcall_args *u = ctx;
    u->result = grant_schedule_upcall(kd, u->sub, u->a0, u->a1, u->a2);
    if (u->remove_after) {
        grant_remove_pending_upcalls(kd, u->remove_sub);
    }
    return ERR_OK;
}

static err_t schedule_upcall(struct grant *g, struct process *p, uint32_t sub, uint32_t a0)
{
    struct upcall_args u = {sub, a0, a0 + 1, a0 + 2, ERR_FAIL, false, 0};
    assert_int_equal(grant_enter(g, p->pid, schedule_fn, &u), ERR_OK);
    return u.result;
}

static void test_schedule_upcall_queues_function_task_with_appdata(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uint32_t fn = (uint32_t)(p->flash_start + FIX_PROTECTED + 0x101);
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 2, fn, 0xDA7A);
    assert_int_equal(schedule_upcall(&fx.grant_a, p, 2, 10), ERR_OK);
    assert_int_equal(p->queue.count, 1);
    const struct upcall_task *t = &p->queue.tasks[0];
    assert_int_equal(t->kind, UPCALL_FUNCTION);
    assert_int_equal(t->driver_num, FIX_DRV_A);
    assert_int_equal(t->subscribe_num, 2);
    assert_int_equal(t->fn, fn);
    assert_int_equal(t->args[0], 10);
    assert_int_equal(t->args[1], 11);
    assert_int_equal(t->args[2], 12);
    assert_int_equal(t->args[3], 0xDA7A);
}

static void test_schedule_upcall_on_null_slot_queues_null_record(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    assert_int_equal(schedule_upcall(&fx.grant_a, p, 1, 20), ERR_OK);
    assert_int_equal(p->queue.count, 1);
    const struct upcall_task *t = &p->queue.tasks[0];
    assert_int_equal(t->kind, UPCALL_NULL_RECORD);
    assert_int_equal(t->fn, 0);
    assert_int_equal(t->driver_num, FIX_DRV_A);
    assert_int_equal(t->subscribe_num, 1);
    assert_int_equal(t->args[0], 20);
    assert_int_equal(t->args[2], 22);
}

static void test_schedule_upcall_on_undeclared_slot_is_inval(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    assert_int_equal(schedule_upcall(&fx.grant_a, p, 3, 0), ERR_INVAL);
    assert_int_equal(schedule_upcall(&fx.grant_b, p, 2, 0), ERR_INVAL);
    assert_int_equal(p->queue.count, 0);
    assert_int_equal(p->dropped_upcalls, 0);
}

static void test_schedule_upcall_with_full_queue_is_nomem_and_counted(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    for (uint32_t i = 0; i < 9; i++) {
        assert_int_equal(schedule_upcall(&fx.grant_a, p, i % 3, i), ERR_OK);
    }
    assert_int_equal(schedule_upcall(&fx.grant_a, p, 0, 100), ERR_NOMEM);
    assert_int_equal(schedule_upcall(&fx.grant_b, p, 0, 101), ERR_NOMEM);
    assert_int_equal(p->queue.count, 9);
    assert_int_equal(p->dropped_upcalls, 2);
    assert_int_equal(p->queue.tasks[8].args[0], 8); /* the oldest are kept */
}

/* Nine events on a slot with no subscription (Null-Upcall records nothing but a Yield-WaitFor can
 * take) fill the queue; the event the process is blocked waiting for still reaches it. */
static void test_full_queue_still_completes_the_awaited_wait(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    for (uint32_t i = 0; i < UPCALL_QUEUE_CAPACITY; i++) {
        assert_int_equal(schedule_upcall(&fx.grant_a, p, 0, i), ERR_OK);
    }
    assert_int_equal(p->queue.tasks[0].kind, UPCALL_NULL_RECORD);
    fixture_syscall(&fx, p, 0, 2, FIX_DRV_B, 1, 0); /* Yield-WaitFor(B, 1) */
    assert_int_equal(p->state, PROCESS_YIELDED_FOR);
    assert_int_equal(schedule_upcall(&fx.grant_b, p, 1, 40), ERR_OK);
    assert_int_equal(p->state, PROCESS_RUNNING);
    assert_int_equal(p->context.regs[0], 40);
    assert_int_equal(p->context.regs[1], 41);
    assert_int_equal(p->context.regs[2], 42);
    assert_int_equal(p->queue.count, UPCALL_QUEUE_CAPACITY); /* nothing else displaced */
    assert_int_equal(p->dropped_upcalls, 0);
    /* Not waiting any more: the next one is dropped as before. */
    assert_int_equal(schedule_upcall(&fx.grant_b, p, 1, 50), ERR_NOMEM);
    assert_int_equal(p->dropped_upcalls, 1);
}

/* With a match already queued the wait takes that older one; the newer is dropped (the queue
 * order a waiting process sees is kept). Other drivers' events are dropped as before. */
static void test_full_queue_with_an_older_match_keeps_order(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    for (uint32_t i = 0; i < UPCALL_QUEUE_CAPACITY; i++) {
        assert_int_equal(schedule_upcall(&fx.grant_a, p, i == 4 ? 1 : 0, i), ERR_OK);
    }
    fixture_syscall(&fx, p, 0, 2, FIX_DRV_A, 1, 0); /* Yield-WaitFor(A, 1) */
    assert_int_equal(schedule_upcall(&fx.grant_a, p, 1, 100), ERR_NOMEM);
    assert_int_equal(schedule_upcall(&fx.grant_b, p, 0, 101), ERR_NOMEM);
    assert_int_equal(p->state, PROCESS_YIELDED_FOR);
    assert_int_equal(p->dropped_upcalls, 2);
    struct upcall_task t;
    assert_true(upcall_queue_take_match(&p->queue, FIX_DRV_A, 1, &t));
    assert_int_equal(t.args[0], 4);
}

static void test_remove_pending_upcalls_drops_one_slot_of_one_driver(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    fixture_syscall(&fx, p, 1, FIX_DRV_A, 0, (uint32_t)(p->flash_start + FIX_PROTECTED), 0);
    assert_int_equal(schedule_upcall(&fx.grant_a, p, 0, 1), ERR_OK); /* function */
    assert_int_equal(schedule_upcall(&fx.grant_a, p, 1, 2), ERR_OK); /* null record */
    assert_int_equal(schedule_upcall(&fx.grant_b, p, 0, 3), ERR_OK); /* other driver, slot 0 */
    assert_int_equal(schedule_upcall(&fx.grant_a, p, 0, 4), ERR_OK);
    struct upcall_args u = {1, 5, 6, 7, ERR_FAIL, true, 0};
    assert_int_equal(grant_enter(&fx.grant_a, p->pid, schedule_fn, &u), ERR_OK);
    assert_int_equal(p->queue.count, 3);
    assert_int_equal(p->queue.tasks[0].args[0], 2);
    assert_int_equal(p->queue.tasks[1].args[0], 3);
    assert_int_equal(p->queue.tasks[1].driver_num, FIX_DRV_B);
    assert_int_equal(p->queue.tasks[2].args[0], 5);
}

/* ==== buffers ==== */

struct buffer_ops {
    size_t ro_len[3], rw_len[3], ur_len[2];
    err_t results[16];
    uint8_t read[32];
};

static err_t buffer_fn(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)data;
    struct buffer_ops *b = ctx;
    for (uint32_t n = 0; n < 3; n++) {
        b->ro_len[n] = grant_ro_len(kd, n);
        b->rw_len[n] = grant_rw_len(kd, n);
    }
    b->ur_len[0] = grant_ur_len(kd, 0);
    b->ur_len[1] = grant_ur_len(kd, 1);
    const uint8_t src[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    memset(b->read, 0xEE, sizeof b->read);
    b->results[0] = grant_rw_write(kd, 0, 4, src, 12);          /* fits exactly */
    b->results[1] = grant_rw_write(kd, 0, 4, src, 13);          /* one past */
    b->results[2] = grant_rw_write(kd, 0, 17, src, 1);          /* offset past */
    b->results[3] = grant_rw_read(kd, 0, 0, b->read, 16);       /* whole buffer */
    b->results[4] = grant_rw_read(kd, 0, 1, b->read, 16);       /* one past */
    b->results[5] = grant_rw_read(kd, 0, SIZE_MAX, b->read, 2); /* offset + len wraps */
    b->results[6] = grant_ro_read(kd, 0, 2, b->read + 16, 4);   /* flash buffer */
    b->results[7] = grant_ro_read(kd, 0, 0, b->read, 9);        /* ro 0 is 8 bytes */
    b->results[8] = grant_ro_read(kd, 1, 0, b->read, 1);        /* unset slot */
    b->results[9] = grant_ro_read(kd, 5, 0, b->read, 1);        /* undeclared slot */
    b->results[10] = grant_ur_write(kd, 0, 0, src, 4);
    b->results[11] = grant_ur_write(kd, 0, 1, src, 4);     /* ur 0 is 4 bytes */
    b->results[12] = grant_rw_write(kd, 1, 0, src, 1);     /* unset rw slot */
    b->results[13] = grant_rw_read(kd, 0, 16, b->read, 0); /* empty read at the end */
    return ERR_OK;
}

static void test_buffer_access_is_bounds_checked_against_allowed_length(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uintptr_t m = p->mem_start;
    assert_int_equal(process_set_brk(p, m + 512), ERR_OK);
    uint8_t *flash = at(p->flash_start + FIX_PROTECTED);
    for (uint32_t i = 0; i < 8; i++) {
        flash[i] = (uint8_t)(0xF0 + i);
    }
    memset(at(m + 100), 0x00, 32);
    fixture_syscall(&fx, p, 3, FIX_DRV_A, 0, (uint32_t)(m + 100), 16);
    fixture_syscall(&fx, p, 4, FIX_DRV_A, 0, (uint32_t)(p->flash_start + FIX_PROTECTED), 8);
    fixture_syscall(&fx, p, 7, FIX_DRV_A, 0, (uint32_t)(m + 200), 4);
    struct buffer_ops b;
    memset(&b, 0, sizeof b);
    assert_int_equal(grant_enter(&fx.grant_a, p->pid, buffer_fn, &b), ERR_OK);
    assert_int_equal(b.rw_len[0], 16);
    assert_int_equal(b.rw_len[1], 0);
    assert_int_equal(b.rw_len[2], 0); /* undeclared */
    assert_int_equal(b.ro_len[0], 8);
    assert_int_equal(b.ro_len[1], 0);
    assert_int_equal(b.ur_len[0], 4);
    assert_int_equal(b.ur_len[1], 0);
    const err_t expected[14] = {ERR_OK,   ERR_SIZE, ERR_SIZE, ERR_OK, ERR_SIZE, ERR_SIZE, ERR_OK,
                                ERR_SIZE, ERR_SIZE, ERR_SIZE, ERR_OK, ERR_SIZE, ERR_SIZE, ERR_OK};
    for (size_t i = 0; i < 14; i++) {
        assert_int_equal(b.results[i], expected[i]);
    }
    /* The write landed at offset 4 of the process buffer, nothing outside it. */
    const uint8_t *buf = at(m + 100);
    assert_int_equal(buf[3], 0);
    assert_int_equal(buf[4], 1);
    assert_int_equal(buf[15], 12);
    assert_int_equal(buf[16], 0);
    /* The read of the whole buffer saw it; the flash read got bytes 2..5. */
    assert_int_equal(b.read[4], 1);
    assert_int_equal(b.read[16], 0xF2);
    assert_int_equal(b.read[19], 0xF5);
    assert_int_equal(*at(m + 200), 1);
    assert_int_equal(*at(m + 203), 4);
    assert_int_equal(*at(m + 204), 0);
}

/* grant.c allocate() computes header_size(g) + ((data_size + 7) & ~7) in 32 bits: a data_size
 * within 7 of 4 GiB rounds to 0, the instance gets no data bytes and the capsule's data pointer
 * aliases the grant above it. grant_create() should refuse such sizes. */
static void test_create_with_data_size_that_cannot_fit_is_inval(void **state)
{
    (void)state;
    struct grant g;
    struct grant_config c = {.driver_num = 0x77, .data_size = 0xFFFFFFFCu, .data_align = 4};
    assert_int_equal(grant_create(&g, &fx.k, &c), ERR_INVAL);
    assert_int_equal(fx.k.grant_count, 2);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
#define TU(name) cmocka_unit_test_setup_teardown(name, setup_unloaded, teardown)

struct slots_args {
    enum grant_slot_kind kind;
    uint32_t first;
    uint32_t count;
    const uint32_t *got;
};

static err_t slots_fn(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)data;
    struct slots_args *a = ctx;
    a->got = grant_slots_of(kd, a->kind, a->first, a->count);
    return ERR_OK;
}

static const uint32_t *slots_of(struct process *p, enum grant_slot_kind kind, uint32_t first,
                                uint32_t count)
{
    struct slots_args a = { kind, first, count, NULL };
    assert_int_equal(grant_enter(&fx.grant_a, p->pid, slots_fn, &a), ERR_OK);
    return a.got;
}

/* grant_slots_of: consecutive declared slots in one read, the same words grant_slot gives. */
static void test_slots_of_reads_consecutive_declared_slots(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uint32_t *ro0, *ro1, *rw0;
    assert_int_equal(grant_slot(&fx.k, p, &fx.grant_a, GRANT_SLOT_READ_ONLY, 0, &ro0), ERR_OK);
    assert_int_equal(grant_slot(&fx.k, p, &fx.grant_a, GRANT_SLOT_READ_ONLY, 1, &ro1), ERR_OK);
    assert_int_equal(grant_slot(&fx.k, p, &fx.grant_a, GRANT_SLOT_READ_WRITE, 0, &rw0), ERR_OK);
    ro0[0] = 0x1000;
    ro0[1] = 16;
    ro1[0] = 0x2000;
    ro1[1] = 32;
    const uint32_t *both = slots_of(p, GRANT_SLOT_READ_ONLY, 0, 2);
    assert_ptr_equal(both, ro0);
    assert_int_equal(both[2], 0x2000);
    assert_int_equal(both[3], 32);
    assert_ptr_equal(slots_of(p, GRANT_SLOT_READ_ONLY, 1, 1), ro1);
    assert_ptr_equal(slots_of(p, GRANT_SLOT_READ_WRITE, 0, 2), rw0);
    /* Any slot past the declared ones (grant_a: 2 read-only) gives NULL, without wrapping. */
    assert_null(slots_of(p, GRANT_SLOT_READ_ONLY, 1, 2));
    assert_null(slots_of(p, GRANT_SLOT_READ_ONLY, 0, 3));
    assert_null(slots_of(p, GRANT_SLOT_READ_ONLY, 3, 0));
    assert_null(slots_of(p, GRANT_SLOT_READ_ONLY, 0xFFFFFFFFu, 2));
    assert_null(slots_of(p, GRANT_SLOT_USERSPACE_READABLE, 0, 2)); /* 1 declared */
}

/* grant_slot_if_allocated: the slot grant_slot gives once an instance exists; NULL, and nothing
 * allocated, before; NULL for an undeclared slot. */
static void test_slot_if_allocated_reads_only_an_existing_instance(void **state)
{
    (void)state;
    struct process *p = fixture_running(&fx, 0);
    uintptr_t brk = p->kernel_brk;
    assert_null(grant_slot_if_allocated(&fx.grant_a, p, GRANT_SLOT_UPCALL, 0));
    assert_int_equal(p->kernel_brk, brk);
    assert_int_equal(p->grant_pointers[fx.grant_a.index], 0);
    uint32_t *slot;
    static const enum grant_slot_kind kinds[] = { GRANT_SLOT_UPCALL, GRANT_SLOT_READ_ONLY,
                                                  GRANT_SLOT_READ_WRITE,
                                                  GRANT_SLOT_USERSPACE_READABLE };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        uint32_t declared = fx.grant_a.slot_counts[kinds[k]];
        for (uint32_t n = 0; n < declared; n++) {
            assert_int_equal(grant_slot(&fx.k, p, &fx.grant_a, kinds[k], n, &slot), ERR_OK);
            assert_ptr_equal(grant_slot_if_allocated(&fx.grant_a, p, kinds[k], n), slot);
        }
        assert_int_equal(grant_slot(&fx.k, p, &fx.grant_a, kinds[k], declared, &slot),
                         ERR_NOSUPPORT);
        assert_null(grant_slot_if_allocated(&fx.grant_a, p, kinds[k], declared));
        assert_null(grant_slot_if_allocated(&fx.grant_a, p, kinds[k], 0xFFFFFFFFu));
    }
    /* The named counts and the indexed ones are the same bytes. */
    assert_int_equal(fx.grant_a.slot_counts[GRANT_SLOT_UPCALL], fx.grant_a.upcalls);
    assert_int_equal(fx.grant_a.slot_counts[GRANT_SLOT_READ_ONLY], fx.grant_a.read_only);
    assert_int_equal(fx.grant_a.slot_counts[GRANT_SLOT_READ_WRITE], fx.grant_a.read_write);
    assert_int_equal(fx.grant_a.slot_counts[GRANT_SLOT_USERSPACE_READABLE],
                     fx.grant_a.userspace_readable);
    /* Another process's instance is its own. */
    struct process *q = fixture_running(&fx, 1);
    assert_null(grant_slot_if_allocated(&fx.grant_a, q, GRANT_SLOT_UPCALL, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TU(test_create_numbers_grants_in_order),
        TU(test_slots_of_reads_consecutive_declared_slots),
        TU(test_slot_if_allocated_reads_only_an_existing_instance),
        TU(test_enter_existing_never_allocates),
        TU(test_create_after_load_is_already),
        TU(test_create_duplicate_driver_is_already),
        TU(test_create_bad_alignment_is_inval),
        TU(test_create_when_table_full_is_nomem),
        T(test_first_enter_allocates_zeroed_instance_at_top_of_ram),
        T(test_second_grant_goes_below_first_and_is_aligned),
        T(test_enter_returns_the_callbacks_result),
        T(test_allocation_that_would_cross_app_break_is_nomem),
        T(test_allocation_refused_when_mpu_rounding_would_expose_it),
        T(test_enter_dead_or_stale_process_is_inval),
        T(test_enter_stopped_process_is_allowed),
        T(test_reentering_a_grant_panics),
        T(test_grant_each_inside_enter_of_same_grant_panics),
        T(test_entering_another_grant_or_process_inside_enter_is_fine),
        T(test_each_visits_only_live_processes_with_the_grant),
        T(test_grants_vanish_on_terminate_and_restart),
        T(test_schedule_upcall_queues_function_task_with_appdata),
        T(test_schedule_upcall_on_null_slot_queues_null_record),
        T(test_schedule_upcall_on_undeclared_slot_is_inval),
        T(test_schedule_upcall_with_full_queue_is_nomem_and_counted),
        T(test_full_queue_still_completes_the_awaited_wait),
        T(test_full_queue_with_an_older_match_keeps_order),
        T(test_remove_pending_upcalls_drops_one_slot_of_one_driver),
        T(test_buffer_access_is_bounds_checked_against_allowed_length),
        TU(test_create_with_data_size_that_cannot_fit_is_inval),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
