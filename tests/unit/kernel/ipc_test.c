/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the Tock-compatible IPC (kernel/ipc/ipc.c), driven through real syscalls on the
 * kernel fixture's three processes: process 0 is the service, 1 and 2 are clients. They check
 * that a notification reaching a process that cannot take it yet is held (one bit per sender and
 * direction, no queue entry) and queued when the receiver subscribes or waits; that repeated
 * notifications coalesce so no sender can fill another's queue; and that held notifications die
 * with either side.
 *
 * Usage: make build/host/ipc_test && build/host/ipc_test
 */
#include "kernel_fixture.h"

#include "ipc/ipc.h"

enum {
    IPC = KERNEL_IPC_DRIVER_NUM,
    YIELD_WAIT_FOR = 2,
    NOTIFY_SERVICE = 2,
    NOTIFY_CLIENT = 3,
    SHARE_OFFSET = 0x100, /* inside every process's initial break */
    SHARE_LEN = 64,
    SERVICE_FN_OFFSET = 0x10, /* process RAM, so subscribe accepts it */
    CLIENT_FN_OFFSET = 0x20,
    APPDATA = 0xDA7A,
};

static struct fixture fx;
static struct ipc ipc;
static struct driver_slot slots[FIX_DRIVERS + 1];
static struct process *service, *client1, *client2;

static int setup(void **state)
{
    (void)state;
    fixture_init_unloaded(&fx, (struct process_fault_policy){ .action = PROCESS_FAULT_STOP });
    const struct driver_slot extra[] = { { IPC, &ipc.driver } };
    fixture_add_drivers(&fx, slots, extra, 1);
    assert_int_equal(ipc_init(&ipc, &fx.k), ERR_OK);
    fx.k.processes_loaded = true;
    fake_arch.initial_app_brk = 2048;
    service = fixture_running(&fx, 0);
    client1 = fixture_running(&fx, 1);
    client2 = fixture_running(&fx, 2);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fixture_fini(&fx);
    return 0;
}

static uint32_t addr(const struct process *p, uint32_t offset)
{
    return u32(p->mem_start + offset);
}

/* p shares SHARE_LEN bytes at SHARE_OFFSET with the process in slot peer. */
static void share(struct process *p, uint32_t peer)
{
    assert_int_equal(
        fixture_sys(&fx, p, CLASS_ALLOW_RW, IPC, peer, addr(p, SHARE_OFFSET), SHARE_LEN),
        SUCCESS_2U32);
}

static void subscribe(struct process *p, uint32_t slot_num, uint32_t fn_offset)
{
    uint32_t fn = fn_offset != 0 ? addr(p, fn_offset) : 0;
    assert_int_equal(fixture_sys(&fx, p, CLASS_SUBSCRIBE, IPC, slot_num, fn, APPDATA),
                     SUCCESS_2U32);
}

static uint32_t notify(struct process *from, uint32_t command_num, uint32_t to)
{
    return fixture_sys(&fx, from, CLASS_COMMAND, IPC, command_num, to, 0);
}

static void wait_for(struct process *p, uint32_t slot_num)
{
    fixture_sys(&fx, p, CLASS_YIELD, YIELD_WAIT_FOR, IPC, slot_num, 0);
    assert_int_equal(p->state, PROCESS_YIELDED_FOR);
}

/* Take p's first task on slot_num and check it is the notification from `sender`, with its
 * shared buffer when `shared` (the fake MPU maps one shared region per process, so tests with
 * two senders let the second share nothing). */
static void expect_from(struct process *p, enum upcall_kind kind, uint32_t slot_num,
                        struct process *sender, bool shared)
{
    struct upcall_task task;
    assert_true(upcall_queue_take_match(&p->queue, IPC, slot_num, &task));
    assert_int_equal(task.kind, kind);
    assert_int_equal(task.args[0], sender->pid.index);
    assert_int_equal(task.args[1], shared ? SHARE_LEN : 0);
    assert_int_equal(task.args[2], shared ? addr(sender, SHARE_OFFSET) : 0);
    if (kind == UPCALL_FUNCTION) {
        assert_int_equal(task.fn, addr(p, p == service ? SERVICE_FN_OFFSET : CLIENT_FN_OFFSET));
        assert_int_equal(task.args[3], APPDATA);
    }
}

static void expect_task(struct process *p, enum upcall_kind kind, uint32_t slot_num,
                        struct process *sender)
{
    expect_from(p, kind, slot_num, sender, true);
}

/* ---- the problem case: the client notifies before the service subscribed ---- */

static void test_notify_before_subscribe_is_held_then_delivered_on_subscribe(void **state)
{
    (void)state;
    share(client1, 0);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    assert_int_equal(service->queue.count, 0); /* held, not queued */
    assert_false(grant_is_allocated(&ipc.grant, service->pid)); /* nothing allocated for it */
    /* The buffer is mapped at notify time. */
    assert_int_equal(service->mpu.shared_start, addr(client1, SHARE_OFFSET));
    subscribe(service, 0, SERVICE_FN_OFFSET);
    assert_int_equal(service->queue.count, 1);
    expect_task(service, UPCALL_FUNCTION, 0, client1);
    /* Delivered once: a second subscribe finds nothing held. */
    subscribe(service, 0, SERVICE_FN_OFFSET);
    assert_int_equal(service->queue.count, 0);
}

static void test_answer_before_client_subscribes_is_held_then_delivered(void **state)
{
    (void)state;
    share(client1, 0);
    subscribe(service, 0, SERVICE_FN_OFFSET);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    expect_task(service, UPCALL_FUNCTION, 0, client1);
    /* The service answers; the client has not subscribed its callback and is not waiting. */
    assert_int_equal(notify(service, NOTIFY_CLIENT, 1), SUCCESS);
    assert_int_equal(client1->queue.count, 0);
    subscribe(client1, 0, CLIENT_FN_OFFSET);
    assert_int_equal(client1->queue.count, 1);
    struct upcall_task task;
    assert_true(upcall_queue_take_match(&client1->queue, IPC, 0, &task));
    assert_int_equal(task.kind, UPCALL_FUNCTION);
    assert_int_equal(task.args[0], 0);           /* from the service */
    assert_int_equal(task.args[1], 0);           /* the service shared nothing */
    assert_int_equal(task.args[3], APPDATA);
}

static void test_held_answer_released_by_yield_wait_for(void **state)
{
    (void)state;
    share(service, 1);
    assert_int_equal(notify(service, NOTIFY_CLIENT, 1), SUCCESS);
    assert_int_equal(client1->queue.count, 0);
    /* Waiting for another driver or another slot releases nothing. */
    fixture_sys(&fx, client1, CLASS_YIELD, YIELD_WAIT_FOR, FIX_DRV_A, 0, 0);
    client1->state = PROCESS_RUNNING;
    wait_for(client1, 2);
    client1->state = PROCESS_RUNNING;
    assert_int_equal(client1->queue.count, 0);
    wait_for(client1, 0);
    expect_task(client1, UPCALL_NULL_RECORD, 0, service);
}

static void test_notify_to_a_waiting_process_is_queued_at_once(void **state)
{
    (void)state;
    share(service, 1);
    wait_for(client1, 0);
    assert_int_equal(notify(service, NOTIFY_CLIENT, 1), SUCCESS);
    expect_task(client1, UPCALL_NULL_RECORD, 0, service);
}

static void test_subscribed_service_gets_notification_at_once(void **state)
{
    (void)state;
    share(client1, 0);
    subscribe(service, 0, SERVICE_FN_OFFSET);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    expect_task(service, UPCALL_FUNCTION, 0, client1);
}

/* ---- bounded cost: nobody can fill another's queue ---- */

static void test_repeated_held_notifies_are_one_bit(void **state)
{
    (void)state;
    share(client1, 0);
    for (int i = 0; i < 50; i++) {
        assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    }
    assert_int_equal(ipc.held[IPC_TO_SERVICE][0], 1u << 1);
    subscribe(service, 0, SERVICE_FN_OFFSET);
    assert_int_equal(service->queue.count, 1);
}

static void test_queued_notifications_coalesce_per_sender(void **state)
{
    (void)state;
    share(client1, 0);
    subscribe(service, 0, SERVICE_FN_OFFSET);
    for (int i = 0; i < 50; i++) {
        assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
        assert_int_equal(notify(client2, NOTIFY_SERVICE, 0), SUCCESS);
    }
    assert_int_equal(service->queue.count, 2);
    assert_int_equal(service->dropped_upcalls, 0);
    /* Room is left for other drivers' upcalls. */
    struct upcall_task other = { .kind = UPCALL_FUNCTION, .driver_num = FIX_DRV_A, .fn = 1 };
    assert_int_equal(process_enqueue(service, &other), ERR_OK);
    expect_task(service, UPCALL_FUNCTION, 0, client1);
    expect_from(service, UPCALL_FUNCTION, 0, client2, false);
    /* Once taken, the next notification is queued again. */
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    expect_task(service, UPCALL_FUNCTION, 0, client1);
}

static void test_never_subscribing_receiver_costs_no_queue(void **state)
{
    (void)state;
    share(client1, 0);
    for (int i = 0; i < 100; i++) {
        assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
        assert_int_equal(notify(client2, NOTIFY_SERVICE, 0), SUCCESS);
        assert_int_equal(notify(client1, NOTIFY_CLIENT, 0), SUCCESS);
    }
    assert_int_equal(service->queue.count, 0);
    assert_int_equal(service->dropped_upcalls, 0);
    assert_int_equal(ipc.held[IPC_TO_SERVICE][0], (1u << 1) | (1u << 2));
    assert_int_equal(ipc.held[IPC_TO_CLIENT][0], 1u << 1);
}

static void test_subscribe_releases_every_held_sender(void **state)
{
    (void)state;
    share(client1, 0);
    assert_int_equal(notify(client2, NOTIFY_SERVICE, 0), SUCCESS);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    subscribe(service, 0, SERVICE_FN_OFFSET);
    assert_int_equal(service->queue.count, 2);
    expect_task(service, UPCALL_FUNCTION, 0, client1);
    expect_from(service, UPCALL_FUNCTION, 0, client2, false);
    assert_int_equal(ipc.held[IPC_TO_SERVICE][0], 0);
}

static void test_wait_on_null_slot_releases_one_held_sender_per_wait(void **state)
{
    (void)state;
    share(client1, 0);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    assert_int_equal(notify(client2, NOTIFY_SERVICE, 0), SUCCESS);
    wait_for(service, 0);
    assert_int_equal(service->queue.count, 1);
    expect_task(service, UPCALL_NULL_RECORD, 0, client1);
    service->state = PROCESS_RUNNING;
    wait_for(service, 0);
    assert_int_equal(service->queue.count, 1);
    expect_from(service, UPCALL_NULL_RECORD, 0, client2, false);
}

static void test_client_subscribe_releases_only_its_service(void **state)
{
    (void)state;
    /* Process 2 acts as a second service answering client 1. */
    assert_int_equal(notify(service, NOTIFY_CLIENT, 1), SUCCESS);
    assert_int_equal(notify(client2, NOTIFY_CLIENT, 1), SUCCESS);
    subscribe(client1, 2, CLIENT_FN_OFFSET);
    assert_int_equal(client1->queue.count, 1);
    assert_true(upcall_queue_has_match(&client1->queue, IPC, 2));
    assert_int_equal(ipc.held[IPC_TO_CLIENT][1], 1u << 0);
}

static void test_full_queue_keeps_the_notification_held(void **state)
{
    (void)state;
    share(client1, 0);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    struct upcall_task other = { .kind = UPCALL_FUNCTION, .driver_num = FIX_DRV_A, .fn = 1 };
    for (uint32_t i = 0; i < UPCALL_QUEUE_CAPACITY; i++) {
        assert_int_equal(process_enqueue(service, &other), ERR_OK);
    }
    subscribe(service, 0, SERVICE_FN_OFFSET);
    assert_int_equal(service->dropped_upcalls, 0);
    assert_int_equal(ipc.held[IPC_TO_SERVICE][0], 1u << 1);
    upcall_queue_clear(&service->queue);
    subscribe(service, 0, SERVICE_FN_OFFSET);
    expect_task(service, UPCALL_FUNCTION, 0, client1);
}

static void test_full_queue_still_releases_a_held_notify_to_its_waiter(void **state)
{
    (void)state;
    share(client1, 0);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    struct upcall_task other = { .kind = UPCALL_NULL_RECORD, .driver_num = FIX_DRV_A };
    for (uint32_t i = 0; i < UPCALL_QUEUE_CAPACITY; i++) {
        assert_int_equal(process_enqueue(service, &other), ERR_OK);
    }
    fixture_sys(&fx, service, CLASS_YIELD, YIELD_WAIT_FOR, IPC, 0, 0);
    assert_int_equal(service->state, PROCESS_RUNNING); /* the wait completed at once */
    assert_int_equal(service->context.regs[0], client1->pid.index);
    assert_int_equal(service->context.regs[1], SHARE_LEN);
    assert_int_equal(service->context.regs[2], addr(client1, SHARE_OFFSET));
    assert_int_equal(ipc.held[IPC_TO_SERVICE][0], 0);
    assert_int_equal(service->dropped_upcalls, 0);
}

/* ---- held notifications die with either side ---- */

static void test_held_notify_dropped_when_sender_exits(void **state)
{
    (void)state;
    share(client1, 0);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    fixture_sys(&fx, client1, CLASS_EXIT, 0, 0, 0, 0);
    assert_false(process_is_alive(client1));
    assert_int_equal(service->mpu.shared_len, 0); /* mapping withdrawn too */
    subscribe(service, 0, SERVICE_FN_OFFSET);
    assert_int_equal(service->queue.count, 0);
    assert_int_equal(ipc.held[IPC_TO_SERVICE][0], 0);
}

static void test_held_notify_dropped_when_sender_restarts(void **state)
{
    (void)state;
    share(client1, 0);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    process_restart(&fx.k, client1);
    subscribe(service, 0, SERVICE_FN_OFFSET);
    assert_int_equal(service->queue.count, 0);
}

static void test_held_notify_dropped_when_receiver_restarts(void **state)
{
    (void)state;
    share(client1, 0);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    assert_int_equal(notify(service, NOTIFY_CLIENT, 2), SUCCESS);
    process_restart(&fx.k, service);
    fixture_make_running(service);
    subscribe(service, 0, SERVICE_FN_OFFSET);
    assert_int_equal(service->queue.count, 0);
    /* What the restarted service sent before its restart is gone as well. */
    subscribe(client2, 0, CLIENT_FN_OFFSET);
    assert_int_equal(client2->queue.count, 0);
    assert_int_equal(ipc.held[IPC_TO_CLIENT][2], 0);
}

/* ---- withdrawing a shared allow withdraws its mappings before the allow returns ---- */

static void test_cleared_share_is_unmapped_before_allow_returns(void **state)
{
    (void)state;
    share(client1, 0);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    assert_int_equal(service->mpu.shared_len, SHARE_LEN);
    assert_int_equal(fixture_sys(&fx, client1, CLASS_ALLOW_RW, IPC, 0, 0, 0), SUCCESS_2U32);
    assert_int_equal(client1->context.regs[1], addr(client1, SHARE_OFFSET)); /* old buffer */
    assert_int_equal(service->mpu.shared_len, 0);
}

static void test_replaced_share_is_unmapped_and_the_new_one_mapped_at_notify(void **state)
{
    (void)state;
    share(client1, 0);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    uint32_t next = addr(client1, SHARE_OFFSET + SHARE_LEN);
    assert_int_equal(fixture_sys(&fx, client1, CLASS_ALLOW_RW, IPC, 0, next, SHARE_LEN), SUCCESS_2U32);
    assert_int_equal(service->mpu.shared_len, 0);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    assert_int_equal(service->mpu.shared_start, next);
    assert_int_equal(service->mpu.shared_len, SHARE_LEN);
}

static void test_sharing_the_same_buffer_again_keeps_the_mapping(void **state)
{
    (void)state;
    share(client1, 0);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    share(client1, 0);
    assert_int_equal(service->mpu.shared_len, SHARE_LEN);
}

static void test_withdrawing_one_slot_leaves_the_other_receivers_mapping(void **state)
{
    (void)state;
    share(client1, 0);
    share(client1, 2);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 2), SUCCESS);
    assert_int_equal(fixture_sys(&fx, client1, CLASS_ALLOW_RW, IPC, 0, 0, 0), SUCCESS_2U32);
    assert_int_equal(service->mpu.shared_len, 0);
    assert_int_equal(client2->mpu.shared_len, SHARE_LEN);
    assert_int_equal(client2->mpu.shared_start, addr(client1, SHARE_OFFSET));
}

static void test_withdrawing_a_held_share_releases_without_the_buffer(void **state)
{
    (void)state;
    share(client1, 0);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS); /* held, but mapped */
    assert_int_equal(fixture_sys(&fx, client1, CLASS_ALLOW_RW, IPC, 0, 0, 0), SUCCESS_2U32);
    assert_int_equal(service->mpu.shared_len, 0);
    subscribe(service, 0, SERVICE_FN_OFFSET);
    expect_from(service, UPCALL_FUNCTION, 0, client1, false);
    assert_int_equal(service->mpu.shared_len, 0);
}

/* ---- a mapped share is not mapped again (ipc.mapped) ---- */

/* Repeated notifies with an unchanged share leave the receiver's MPU configuration alone (no
 * new generation, so no reload); a replaced, cleared or re-shared buffer is mapped again. */
static void test_unchanged_share_is_mapped_once(void **state)
{
    (void)state;
    share(client1, 0);
    subscribe(service, 0, SERVICE_FN_OFFSET);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    expect_task(service, UPCALL_FUNCTION, 0, client1);
    uint32_t generation = service->mpu.generation;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
        expect_task(service, UPCALL_FUNCTION, 0, client1); /* still reports the buffer */
    }
    assert_int_equal(service->mpu.generation, generation);
    share(client1, 0); /* the same buffer again: still mapped, nothing to do */
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    expect_task(service, UPCALL_FUNCTION, 0, client1);
    assert_int_equal(service->mpu.shared_len, SHARE_LEN);
    /* Cleared: unmapped at once, and the next notify reports nothing and maps nothing. */
    assert_int_equal(fixture_sys(&fx, client1, CLASS_ALLOW_RW, IPC, 0, 0, 0), SUCCESS_2U32);
    assert_int_equal(service->mpu.shared_len, 0);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    expect_from(service, UPCALL_FUNCTION, 0, client1, false);
    assert_int_equal(service->mpu.shared_len, 0);
    /* Shared again: mapped again at the next notify. */
    share(client1, 0);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    expect_task(service, UPCALL_FUNCTION, 0, client1);
    assert_int_equal(service->mpu.shared_start, addr(client1, SHARE_OFFSET));
    assert_int_equal(service->mpu.shared_len, SHARE_LEN);
}

/* A receiver that restarts lost its mappings with its instance: the next notify maps again. */
static void test_share_is_mapped_again_into_a_restarted_receiver(void **state)
{
    (void)state;
    share(client1, 0);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    assert_int_equal(service->mpu.shared_len, SHARE_LEN);
    process_restart(&fx.k, service);
    assert_int_equal(service->mpu.shared_len, 0);
    assert_int_equal(ipc.mapped[0], 0);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    assert_int_equal(service->mpu.shared_start, addr(client1, SHARE_OFFSET));
    assert_int_equal(service->mpu.shared_len, SHARE_LEN);
}

/* A sender that restarts took its buffers with it: its new instance's share is mapped anew. */
static void test_share_of_a_restarted_sender_is_mapped_anew(void **state)
{
    (void)state;
    share(client1, 0);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    process_restart(&fx.k, client1);
    assert_int_equal(service->mpu.shared_len, 0);
    assert_int_equal(ipc.mapped[0], 0);
    client1 = fixture_running(&fx, 1);
    share(client1, 0);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    assert_int_equal(service->mpu.shared_start, addr(client1, SHARE_OFFSET));
    assert_int_equal(service->mpu.shared_len, SHARE_LEN);
}

/* A share that could not be mapped is tried again at every notify, never recorded as mapped. */
static void test_failed_mapping_is_not_recorded(void **state)
{
    (void)state;
    share(client1, 0);
    assert_int_equal(arch_mpu_add_shared(&service->mpu, addr(client2, SHARE_OFFSET), SHARE_LEN),
                     ERR_OK);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), FAILURE);
    assert_int_equal(ipc.mapped[0], 0);
    arch_mpu_remove_shared(&service->mpu, 0, UINTPTR_MAX);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    assert_int_equal(service->mpu.shared_start, addr(client1, SHARE_OFFSET));
    assert_int_equal(ipc.mapped[0], 1u << 1);
}

/* ---- a flood of notifies cannot silence a process that never used IPC ---- */

static void test_flood_leaves_a_non_ipc_waiter_its_awaited_event(void **state)
{
    (void)state;
    fixture_sys(&fx, client2, CLASS_YIELD, YIELD_WAIT_FOR, FIX_DRV_A, 0, 0); /* its alarm, say */
    assert_int_equal(client2->state, PROCESS_YIELDED_FOR);
    for (uint32_t i = 0; i < 5000; i++) {
        assert_int_equal(notify(client1, NOTIFY_SERVICE, 2), SUCCESS);
        assert_int_equal(notify(service, NOTIFY_CLIENT, 2), SUCCESS);
    }
    assert_int_equal(client2->queue.count, 0);
    assert_false(grant_is_allocated(&ipc.grant, client2->pid));
    struct upcall_task alarm = { .kind = UPCALL_NULL_RECORD, .driver_num = FIX_DRV_A };
    assert_int_equal(process_enqueue(client2, &alarm), ERR_OK);
    assert_int_equal(client2->dropped_upcalls, 0);
    assert_true(upcall_queue_has_match(&client2->queue, FIX_DRV_A, 0));
}

/* ---- a receiver's own events always find room: notifications step aside ---- */

/* Fill service's queue: one notification from client1 on slot 0 plus own tasks. */
static void fill_with_a_notification(void)
{
    share(client1, 0);
    subscribe(service, 0, SERVICE_FN_OFFSET);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    struct upcall_task own = { .kind = UPCALL_FUNCTION, .driver_num = FIX_DRV_A, .fn = 1 };
    while (service->queue.count < UPCALL_QUEUE_CAPACITY) {
        assert_int_equal(process_enqueue(service, &own), ERR_OK);
    }
}

static void test_own_event_on_full_queue_holds_a_notification_instead_of_dropping(void **state)
{
    (void)state;
    fill_with_a_notification();
    struct upcall_task alarm = { .kind = UPCALL_FUNCTION, .driver_num = FIX_DRV_B, .fn = 2 };
    assert_int_equal(kernel_enqueue_upcall(&fx.k, service, &alarm), ERR_OK);
    assert_int_equal(service->dropped_upcalls, 0);
    assert_true(upcall_queue_has_match(&service->queue, FIX_DRV_B, 0));
    assert_false(upcall_queue_has_match(&service->queue, IPC, 0));
    assert_int_equal(ipc.held[IPC_TO_SERVICE][0], 1u << 1);
    assert_true((service->after_upcall & PROCESS_AFTER_UPCALL_ROOM) != 0);
}

static void test_held_notification_is_queued_again_when_the_receiver_takes_an_upcall(void **state)
{
    (void)state;
    fill_with_a_notification();
    struct upcall_task alarm = { .kind = UPCALL_FUNCTION, .driver_num = FIX_DRV_B, .fn = 2 };
    assert_int_equal(kernel_enqueue_upcall(&fx.k, service, &alarm), ERR_OK);
    /* The service takes its upcalls (the fake process yields again after each). */
    service->state = PROCESS_YIELDED;
    client1->state = PROCESS_YIELDED;
    client2->state = PROCESS_YIELDED;
    for (int i = 0; i < 40 && kernel_step(&fx.k); i++) {
    }
    assert_int_equal(service->queue.count, 0);
    assert_int_equal(ipc.held[IPC_TO_SERVICE][0], 0);
    assert_int_equal(service->dropped_upcalls, 0);
    uint32_t notified = 0, alarmed = 0;
    for (uint32_t i = 0; i < fake_arch.switch_count && i < FAKE_ARCH_LOG_MAX; i++) {
        notified += fake_arch.ran_pc[i] == addr(service, SERVICE_FN_OFFSET);
        alarmed += fake_arch.ran_pc[i] == 2;
    }
    assert_int_equal(notified, 1);
    assert_int_equal(alarmed, 1);
}

static void test_notify_to_a_queue_full_of_own_events_is_held_not_failed(void **state)
{
    (void)state;
    share(client1, 0);
    subscribe(service, 0, SERVICE_FN_OFFSET);
    struct upcall_task own = { .kind = UPCALL_FUNCTION, .driver_num = FIX_DRV_A, .fn = 1 };
    for (uint32_t i = 0; i < UPCALL_QUEUE_CAPACITY; i++) {
        assert_int_equal(process_enqueue(service, &own), ERR_OK);
    }
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    assert_int_equal(ipc.held[IPC_TO_SERVICE][0], 1u << 1);
    assert_int_equal(service->dropped_upcalls, 0);
    struct upcall_task taken;
    assert_true(upcall_queue_pop_function(&service->queue, &taken));
    ipc.ready_hook.on_room(&ipc.ready_hook, service);
    expect_task(service, UPCALL_FUNCTION, 0, client1);
    assert_int_equal(ipc.held[IPC_TO_SERVICE][0], 0);
}

/* ---- argument checks are unchanged ---- */

static void test_bad_targets(void **state)
{
    (void)state;
    assert_int_equal(notify(client1, NOTIFY_SERVICE, FIX_PROCS), FAILURE);
    assert_int_equal(client1->context.regs[1], ERR_INVAL);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 1), SUCCESS); /* self: dropped */
    assert_int_equal(ipc.held[IPC_TO_SERVICE][1], 0);
    fixture_sys(&fx, client2, CLASS_EXIT, 0, 0, 0, 0);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 2), FAILURE);
    assert_int_equal(client1->context.regs[1], ERR_NODEVICE);
}

static void test_unmappable_share_fails_at_notify_even_when_held(void **state)
{
    (void)state;
    share(client1, 0);
    /* Another mapping already occupies the receiver's only fake shared region. */
    assert_int_equal(arch_mpu_add_shared(&service->mpu, addr(client2, SHARE_OFFSET), SHARE_LEN),
                     ERR_OK);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), FAILURE);
    assert_int_equal(client1->context.regs[1], ERR_NOMEM);
    assert_int_equal(ipc.held[IPC_TO_SERVICE][0], 0);
}

/* A sender that never used IPC gets its instance at its first notify (as entering its grant
 * would) and shares nothing; one without room for it gets NOMEM and nothing is held. */
static void test_first_notify_allocates_the_senders_instance(void **state)
{
    (void)state;
    subscribe(service, 0, SERVICE_FN_OFFSET);
    assert_false(grant_is_allocated(&ipc.grant, client2->pid));
    assert_int_equal(notify(client2, NOTIFY_SERVICE, 0), SUCCESS);
    assert_true(grant_is_allocated(&ipc.grant, client2->pid));
    expect_from(service, UPCALL_FUNCTION, 0, client2, false);
    assert_int_equal(service->mpu.shared_len, 0);
}

static void test_sender_without_room_for_its_instance_gets_nomem(void **state)
{
    (void)state;
    subscribe(service, 0, SERVICE_FN_OFFSET);
    client2->kernel_brk = client2->app_brk; /* no room left above the break */
    assert_int_equal(notify(client2, NOTIFY_SERVICE, 0), FAILURE);
    assert_int_equal(client2->context.regs[1], ERR_NOMEM);
    assert_false(grant_is_allocated(&ipc.grant, client2->pid));
    assert_int_equal(service->queue.count, 0);
    assert_int_equal(ipc.held[IPC_TO_SERVICE][0], 0);
}

/* Regression (restart soak): a receiver that exited or faulted for good kept the mappings of
 * other processes' buffers in its (never again loaded) memory protection until a restart; a
 * process that is not alive now holds none. */
static void test_receiver_that_dies_keeps_no_mapping(void **state)
{
    (void)state;
    share(client1, 0);
    share(client2, 0);
    assert_int_equal(notify(client1, NOTIFY_SERVICE, 0), SUCCESS);
    assert_int_equal(service->mpu.shared_len, SHARE_LEN);
    process_terminate(&fx.k, service, 0);
    assert_int_equal(service->mpu.shared_len, 0);
    struct process *restarted = fixture_running(&fx, 0);
    assert_int_equal(notify(client2, NOTIFY_SERVICE, 0), SUCCESS);
    assert_int_equal(restarted->mpu.shared_start, addr(client2, SHARE_OFFSET));
    process_fault(&fx.k, restarted, "test");
    assert_int_equal(restarted->mpu.shared_len, 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_notify_before_subscribe_is_held_then_delivered_on_subscribe),
        T(test_receiver_that_dies_keeps_no_mapping),
        T(test_answer_before_client_subscribes_is_held_then_delivered),
        T(test_held_answer_released_by_yield_wait_for),
        T(test_notify_to_a_waiting_process_is_queued_at_once),
        T(test_subscribed_service_gets_notification_at_once),
        T(test_repeated_held_notifies_are_one_bit),
        T(test_queued_notifications_coalesce_per_sender),
        T(test_never_subscribing_receiver_costs_no_queue),
        T(test_subscribe_releases_every_held_sender),
        T(test_wait_on_null_slot_releases_one_held_sender_per_wait),
        T(test_client_subscribe_releases_only_its_service),
        T(test_full_queue_keeps_the_notification_held),
        T(test_full_queue_still_releases_a_held_notify_to_its_waiter),
        T(test_held_notify_dropped_when_sender_exits),
        T(test_held_notify_dropped_when_sender_restarts),
        T(test_held_notify_dropped_when_receiver_restarts),
        T(test_cleared_share_is_unmapped_before_allow_returns),
        T(test_replaced_share_is_unmapped_and_the_new_one_mapped_at_notify),
        T(test_sharing_the_same_buffer_again_keeps_the_mapping),
        T(test_withdrawing_one_slot_leaves_the_other_receivers_mapping),
        T(test_withdrawing_a_held_share_releases_without_the_buffer),
        T(test_flood_leaves_a_non_ipc_waiter_its_awaited_event),
        T(test_own_event_on_full_queue_holds_a_notification_instead_of_dropping),
        T(test_held_notification_is_queued_again_when_the_receiver_takes_an_upcall),
        T(test_notify_to_a_queue_full_of_own_events_is_held_not_failed),
        T(test_bad_targets),
        T(test_unmappable_share_fails_at_notify_even_when_held),
        T(test_first_notify_allocates_the_senders_instance),
        T(test_sender_without_room_for_its_instance_gets_nomem),
        T(test_unchanged_share_is_mapped_once),
        T(test_share_is_mapped_again_into_a_restarted_receiver),
        T(test_share_of_a_restarted_sender_is_mapped_anew),
        T(test_failed_mapping_is_not_recorded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
