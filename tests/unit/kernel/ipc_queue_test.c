/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the message queues (kernel/ipc/ipc_queue.c) on the message IPC they build on
 * (ipc_name.c, ipc_msg*.c), through real syscalls on the kernel fixture's three processes, with
 * a fake alarm for timeouts. Each test names the property it checks: messages leave in the
 * order they entered, full / empty with no-wait, held SENDs in ticket order with exactly one
 * SENT each, timeouts on both sides, send rights, only the owner receives, a dying sender's
 * held SEND vanishes, an owner's restart reaches its senders (generations), notification bits.
 *
 * Usage: make build/host/ipc_queue_test && build/host/ipc_queue_test
 */
#include "kernel_fixture.h"

#include "fake_alarm.h"
#include "ipc/ipc_msg.h"
#include "ipc/ipc_name.h"
#include "ipc/ipc_queue.h"

enum {
    NAME = KERNEL_IPC_NAME_DRIVER_NUM,
    MSG = KERNEL_IPC_MSG_DRIVER_NUM,
    QUEUE = KERNEL_IPC_QUEUE_DRIVER_NUM,
    REGISTER = 1,
    LOOKUP = 3,
    REOPEN = 4,
    MSG_RECV = 11,
    CREATE = 1,
    DESTROY = 2,
    GRANT_SEND = 3,
    NOTIFY = 4,
    SEND = 10,
    CANCEL = 11,
    RECV = 20,
    SENT = 0,
    RECEIVED = 1,
    FOREVER = IPC_QUEUE_FOREVER,
    MSG_SIZE = 6,
    DEPTH = 2,
};

static struct fixture fx;
static struct ipc_name names;
static struct ipc_msg msg;
static struct ipc_queue queue;
static struct fake_alarm hw;
static struct driver_slot slots[FIX_DRIVERS + 3];
static struct process *owner, *sender1, *sender2;

static int setup(void **state)
{
    (void)state;
    fixture_init_unloaded(&fx, (struct process_fault_policy){ .action = PROCESS_FAULT_STOP });
    const struct driver_slot extra[] = { { NAME, &names.driver },
                                         { MSG, &msg.driver },
                                         { QUEUE, &queue.driver } };
    fixture_add_drivers(&fx, slots, extra, 3);
    fake_alarm_init(&hw, 1000000, 0xFFFF0000u); /* 1 MHz, close to the wrap */
    assert_int_equal(ipc_name_init(&names, &fx.k, ipc_name_allow_all), ERR_OK);
    assert_int_equal(ipc_msg_init(&msg, &fx.k, &names, &hw.alarm), ERR_OK);
    assert_int_equal(ipc_queue_init(&queue, &fx.k, &names, &msg), ERR_OK);
    fx.k.processes_loaded = true;
    fake_arch.initial_app_brk = 2048;
    owner = fixture_running(&fx, 0);
    sender1 = fixture_running(&fx, 1);
    sender2 = fixture_running(&fx, 2);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fixture_fini(&fx);
    return 0;
}

/* ---- helpers ---- */

static uint32_t r1(const struct process *p)
{
    return p->context.regs[1];
}

static uint32_t r2(const struct process *p)
{
    return p->context.regs[2];
}

static uint8_t *ram(const struct process *p, uint32_t offset)
{
    return (uint8_t *)(p->mem_start + offset);
}

static uint32_t addr(const struct process *p, uint32_t offset)
{
    return u32(p->mem_start + offset);
}

static uint32_t command(struct process *p, uint32_t driver, uint32_t num, uint32_t a0,
                        uint32_t a1)
{
    return fixture_sys(&fx, p, CLASS_COMMAND, driver, num, a0, a1);
}

static void allow_ro(struct process *p, uint32_t driver, uint32_t offset, const char *text,
                     uint32_t len)
{
    memcpy(ram(p, offset), text, len);
    assert_int_equal(fixture_sys(&fx, p, CLASS_ALLOW_RO, driver, 0, addr(p, offset), len), 130);
}

static void allow_recv_buf(struct process *p, uint32_t len)
{
    memset(ram(p, 512), 0, 64);
    assert_int_equal(fixture_sys(&fx, p, CLASS_ALLOW_RW, QUEUE, 0, addr(p, 512), len), 130);
}

static void expect_failure(struct process *p, err_t err)
{
    assert_int_equal(p->context.regs[0], FAILURE);
    assert_int_equal(r1(p), err);
}

static void expect_failure_u32(struct process *p, err_t err, uint32_t reason)
{
    assert_int_equal(p->context.regs[0], FAILURE_U32);
    assert_int_equal(r1(p), err);
    assert_int_equal(r2(p), reason);
}

static bool take_event(struct process *p, uint32_t sub, uint32_t args[3])
{
    struct upcall_task task;
    if (!upcall_queue_take_match(&p->queue, QUEUE, sub, &task)) {
        return false;
    }
    memcpy(args, task.args, 3 * sizeof args[0]);
    return true;
}

/* The owner: a queue of DEPTH messages of MSG_SIZE bytes on endpoint 0, named "q", open to
 * anyone holding a descriptor; its receive buffer allowed. */
static void create_queue(void)
{
    assert_int_equal(command(owner, QUEUE, CREATE, 0, MSG_SIZE | (DEPTH << 16)), SUCCESS);
    assert_int_equal(command(owner, QUEUE, GRANT_SEND, 0, 1), SUCCESS);
    allow_ro(owner, NAME, 1024, "q", 1);
    assert_int_equal(command(owner, NAME, REGISTER, 0, 0), SUCCESS);
    allow_recv_buf(owner, MSG_SIZE);
}

static uint32_t lookup(struct process *p, const char *name)
{
    allow_ro(p, NAME, 1024, name, (uint32_t)strlen(name));
    assert_int_equal(command(p, NAME, LOOKUP, 0, 0), SUCCESS_U32);
    return r1(p);
}

/* SEND `text` (MSG_SIZE bytes) from p; returns the result variant. */
static uint32_t send(struct process *p, uint32_t desc, const char *text, uint32_t wait)
{
    allow_ro(p, QUEUE, 0, text, MSG_SIZE);
    return command(p, QUEUE, SEND, desc, wait);
}

/* The owner RECVs with no wait and must get `text` from `from`, `left` messages staying. */
static void expect_receive(const char *text, const struct process *from, uint32_t left)
{
    assert_int_equal(command(owner, QUEUE, RECV, 0, 0), SUCCESS_2U32);
    assert_int_equal(r1(owner), ipc_badge(from->pid));
    assert_int_equal(r2(owner), left);
    assert_memory_equal(ram(owner, 512), text, MSG_SIZE);
}

static void expect_sent_event(struct process *p, err_t status, uint32_t reason)
{
    uint32_t ev[3];
    assert_true(take_event(p, SENT, ev));
    assert_int_equal(ev[0], status);
    assert_int_equal(ev[2], reason);
    assert_false(take_event(p, SENT, ev)); /* exactly one */
}

/* ---- tests ---- */

static void test_messages_leave_in_the_order_they_entered(void **state)
{
    (void)state;
    create_queue();
    uint32_t d1 = lookup(sender1, "q"), d2 = lookup(sender2, "q");
    assert_int_equal(send(sender2, d2, "second", 0), SUCCESS_U32);
    assert_int_equal(r1(sender2), 0); /* queued at once */
    assert_int_equal(send(sender1, d1, "third!", 0), SUCCESS_U32);
    expect_receive("second", sender2, 1);
    assert_int_equal(send(sender2, d2, "fourth", 0), SUCCESS_U32);
    expect_receive("third!", sender1, 1);
    expect_receive("fourth", sender2, 0);
    uint32_t ev[3];
    assert_false(take_event(sender1, SENT, ev)); /* an immediate SEND has no event */
}

static void test_full_and_empty_with_no_wait_are_refused(void **state)
{
    (void)state;
    create_queue();
    assert_int_equal(command(owner, QUEUE, RECV, 0, 0), FAILURE);
    expect_failure(owner, ERR_BUSY);
    uint32_t d1 = lookup(sender1, "q");
    assert_int_equal(send(sender1, d1, "aaaaaa", 0), SUCCESS_U32);
    assert_int_equal(send(sender1, d1, "bbbbbb", 0), SUCCESS_U32);
    assert_int_equal(send(sender1, d1, "cccccc", 0), FAILURE);
    expect_failure(sender1, ERR_NOMEM);
    expect_receive("aaaaaa", sender1, 1);
    expect_receive("bbbbbb", sender1, 0);
}

static void test_held_sends_move_in_ticket_order_with_one_event_each(void **state)
{
    (void)state;
    create_queue();
    uint32_t d1 = lookup(sender1, "q"), d2 = lookup(sender2, "q");
    assert_int_equal(send(sender1, d1, "m1....", 0), SUCCESS_U32);
    assert_int_equal(send(sender1, d1, "m2....", 0), SUCCESS_U32);
    assert_int_equal(send(sender2, d2, "held-2", FOREVER), SUCCESS_U32); /* higher slot first */
    assert_int_equal(r1(sender2), 1);
    assert_int_equal(send(sender1, d1, "held-1", FOREVER), SUCCESS_U32);
    assert_int_equal(r1(sender1), 1);
    assert_int_equal(command(sender1, QUEUE, SEND, d1, FOREVER), FAILURE);
    expect_failure(sender1, ERR_ALREADY); /* one held SEND per process */
    expect_receive("m1....", sender1, 1);
    expect_sent_event(sender2, ERR_OK, 0); /* the oldest held SEND moved into the room */
    uint32_t ev[3];
    assert_false(take_event(sender1, SENT, ev));
    expect_receive("m2....", sender1, 1);
    expect_sent_event(sender1, ERR_OK, 0);
    expect_receive("held-2", sender2, 1);
    expect_receive("held-1", sender1, 0);
    assert_int_equal(ipc_queue_held_for(&queue, owner->pid), 0);
}

static void test_a_new_send_does_not_overtake_a_held_one(void **state)
{
    (void)state;
    create_queue();
    uint32_t d1 = lookup(sender1, "q"), d2 = lookup(sender2, "q");
    assert_int_equal(send(sender1, d1, "m1....", 0), SUCCESS_U32);
    assert_int_equal(send(sender1, d1, "m2....", 0), SUCCESS_U32);
    assert_int_equal(send(sender2, d2, "held-2", FOREVER), SUCCESS_U32);
    expect_receive("m1....", sender1, 1); /* held-2 moves in: full again */
    assert_int_equal(send(sender1, d1, "late..", 0), FAILURE);
    expect_failure(sender1, ERR_NOMEM);
}

static void test_send_and_receive_timeouts_end_with_cancel_timeout(void **state)
{
    (void)state;
    create_queue();
    allow_recv_buf(owner, MSG_SIZE);
    assert_int_equal(command(owner, QUEUE, RECV, 30, 0), SUCCESS_2U32);
    assert_int_equal(r1(owner), 0); /* armed */
    assert_true(hw.is_armed);
    assert_false(fake_alarm_advance(&hw, 29999));
    assert_true(fake_alarm_advance(&hw, 1)); /* crosses 2^32: wrap-safe */
    uint32_t ev[3];
    assert_true(take_event(owner, RECEIVED, ev));
    assert_int_equal(ev[0], ERR_CANCEL);
    assert_int_equal(ev[2], IPC_TIMEOUT);
    uint32_t d1 = lookup(sender1, "q");
    assert_int_equal(send(sender1, d1, "aaaaaa", 0), SUCCESS_U32);
    assert_int_equal(send(sender1, d1, "bbbbbb", 0), SUCCESS_U32);
    assert_int_equal(send(sender1, d1, "cccccc", 50), SUCCESS_U32);
    assert_int_equal(r1(sender1), 1);
    assert_true(fake_alarm_advance(&hw, 50000));
    expect_sent_event(sender1, ERR_CANCEL, IPC_TIMEOUT);
    assert_false(hw.is_armed);
    expect_receive("aaaaaa", sender1, 1);
    expect_receive("bbbbbb", sender1, 0); /* the timed-out message never entered */
    assert_int_equal(command(owner, QUEUE, RECV, 0, 0), FAILURE);
}

static void test_armed_receive_gets_the_next_send_directly(void **state)
{
    (void)state;
    create_queue();
    assert_int_equal(command(owner, QUEUE, RECV, FOREVER, 0), SUCCESS_2U32);
    assert_int_equal(command(owner, QUEUE, RECV, FOREVER, 0), FAILURE);
    expect_failure(owner, ERR_ALREADY);
    uint32_t d2 = lookup(sender2, "q");
    assert_int_equal(send(sender2, d2, "direct", 0), SUCCESS_U32);
    uint32_t ev[3];
    assert_true(take_event(owner, RECEIVED, ev));
    assert_int_equal(ev[0], ERR_OK);
    assert_int_equal(ev[1], ipc_badge(sender2->pid));
    assert_int_equal(ev[2], 0);
    assert_memory_equal(ram(owner, 512), "direct", MSG_SIZE);
    assert_false(hw.is_armed);
}

static void test_sending_needs_a_right_the_owner_granted(void **state)
{
    (void)state;
    create_queue();
    assert_int_equal(command(owner, QUEUE, GRANT_SEND, 0, 0), SUCCESS); /* close it */
    uint32_t d1 = lookup(sender1, "q"), d2 = lookup(sender2, "q");
    assert_int_equal(send(sender1, d1, "nope..", 0), FAILURE);
    expect_failure(sender1, ERR_NOSUPPORT);
    /* sender2 names itself; the owner grants that instance only. */
    allow_ro(sender2, NAME, 1024, "s2", 2);
    assert_int_equal(command(sender2, NAME, REGISTER, 0, 0), SUCCESS);
    uint32_t to_s2 = lookup(owner, "s2");
    assert_int_equal(command(owner, QUEUE, GRANT_SEND, to_s2, 1), SUCCESS);
    assert_int_equal(send(sender2, d2, "yes...", 0), SUCCESS_U32);
    assert_int_equal(send(sender1, d1, "nope..", 0), FAILURE);
    expect_failure(sender1, ERR_NOSUPPORT);
    expect_receive("yes...", sender2, 0);
    assert_int_equal(command(owner, QUEUE, RECV, 0, 0), FAILURE); /* nothing else came in */
}

static void test_only_the_owner_receives_and_bad_handles_are_refused(void **state)
{
    (void)state;
    create_queue();
    uint32_t d1 = lookup(sender1, "q");
    assert_int_equal(send(sender1, d1, "secret", 0), SUCCESS_U32);
    allow_recv_buf(sender1, MSG_SIZE);
    assert_int_equal(command(sender1, QUEUE, RECV, 0, 0), FAILURE);
    expect_failure(sender1, ERR_INVAL); /* RECV names the caller's own queue: it has none */
    assert_int_equal(ram(sender1, 512)[0], 0);
    assert_int_equal(send(sender1, d1 + 5, "forged", 0), FAILURE);
    expect_failure(sender1, ERR_INVAL);
    assert_int_equal(send(sender1, 0xFFFF, "forged", 0), FAILURE);
    expect_failure(sender1, ERR_INVAL);
    /* A queue on another endpoint than the name: not serving. */
    allow_ro(owner, NAME, 1024, "q1", 2);
    assert_int_equal(command(owner, NAME, REGISTER, 1, 0), SUCCESS);
    uint32_t d_other = lookup(sender1, "q1");
    assert_int_equal(send(sender1, d_other, "other.", 0), FAILURE_U32);
    expect_failure_u32(sender1, ERR_UNINSTALLED, IPC_NOT_SERVING);
    expect_receive("secret", sender1, 0);
}

static void test_create_checks_its_arguments_and_the_ring(void **state)
{
    (void)state;
    assert_int_equal(command(owner, QUEUE, CREATE, 0, 0), FAILURE);
    expect_failure(owner, ERR_INVAL);
    assert_int_equal(command(owner, QUEUE, CREATE, IPC_MAX_ENDPOINTS, 4 | (2u << 16)), FAILURE);
    expect_failure(owner, ERR_INVAL);
    assert_int_equal(command(owner, QUEUE, CREATE, 0, IPC_QUEUE_STORAGE | (1u << 16)), FAILURE);
    expect_failure(owner, ERR_NOMEM); /* badge + message do not fit the ring */
    assert_int_equal(command(owner, QUEUE, CREATE, 0, 4 | (16u << 16)), SUCCESS);
    assert_int_equal(command(owner, QUEUE, CREATE, 0, 4 | (1u << 16)), FAILURE);
    expect_failure(owner, ERR_ALREADY);
    /* A message allow shorter than msg_size: SIZE, nothing queued. */
    assert_int_equal(command(owner, QUEUE, GRANT_SEND, 0, 1), SUCCESS);
    allow_ro(owner, NAME, 1024, "q", 1);
    assert_int_equal(command(owner, NAME, REGISTER, 0, 0), SUCCESS);
    uint32_t d1 = lookup(sender1, "q");
    allow_ro(sender1, QUEUE, 0, "abc", 3);
    assert_int_equal(command(sender1, QUEUE, SEND, d1, 0), FAILURE);
    expect_failure(sender1, ERR_SIZE);
}

static void test_a_dying_sender_leaves_the_wait_and_the_next_moves_in(void **state)
{
    (void)state;
    create_queue();
    uint32_t d1 = lookup(sender1, "q"), d2 = lookup(sender2, "q");
    assert_int_equal(send(sender2, d2, "m1....", 0), SUCCESS_U32);
    assert_int_equal(send(sender2, d2, "m2....", 0), SUCCESS_U32);
    assert_int_equal(send(sender1, d1, "dies..", FOREVER), SUCCESS_U32); /* oldest held */
    assert_int_equal(send(sender2, d2, "lives.", FOREVER), SUCCESS_U32);
    assert_int_equal(ipc_queue_held_for(&queue, owner->pid), 2);
    process_terminate(&fx.k, sender1, 0);
    deferred_call_service();
    assert_int_equal(ipc_queue_held_for(&queue, owner->pid), 1);
    expect_receive("m1....", sender2, 1);
    expect_sent_event(sender2, ERR_OK, 0);
    expect_receive("m2....", sender2, 1);
    expect_receive("lives.", sender2, 0);
}

static void test_an_owner_restart_reaches_its_senders_as_restarted(void **state)
{
    (void)state;
    create_queue();
    uint32_t d1 = lookup(sender1, "q"), d2 = lookup(sender2, "q");
    assert_int_equal(send(sender2, d2, "m1....", 0), SUCCESS_U32);
    assert_int_equal(send(sender2, d2, "m2....", 0), SUCCESS_U32);
    assert_int_equal(send(sender1, d1, "held..", FOREVER), SUCCESS_U32);
    process_restart(&fx.k, owner);
    uint32_t ev[3];
    assert_false(take_event(sender1, SENT, ev)); /* the hook only records */
    deferred_call_service();
    expect_sent_event(sender1, ERR_UNINSTALLED, IPC_PEER_RESTARTED);
    assert_int_equal(send(sender2, d2, "stale.", 0), FAILURE_U32);
    expect_failure_u32(sender2, ERR_UNINSTALLED, IPC_PEER_RESTARTED);
    /* The new instance has an empty queue; REOPEN reaches it. */
    fixture_make_running(owner);
    create_queue();
    assert_int_equal(command(owner, QUEUE, RECV, 0, 0), FAILURE);
    expect_failure(owner, ERR_BUSY);
    assert_int_equal(command(sender2, NAME, REOPEN, d2, 0), SUCCESS_U32);
    assert_int_equal(send(sender2, d2, "fresh.", 0), SUCCESS_U32);
    expect_receive("fresh.", sender2, 0);
}

static void test_destroy_and_cancel_end_held_sends_once(void **state)
{
    (void)state;
    create_queue();
    uint32_t d1 = lookup(sender1, "q"), d2 = lookup(sender2, "q");
    assert_int_equal(send(sender2, d2, "m1....", 0), SUCCESS_U32);
    assert_int_equal(send(sender2, d2, "m2....", 0), SUCCESS_U32);
    assert_int_equal(send(sender1, d1, "held..", FOREVER), SUCCESS_U32);
    assert_int_equal(send(sender2, d2, "cancel", FOREVER), SUCCESS_U32);
    assert_int_equal(command(sender2, QUEUE, CANCEL, 0, 0), SUCCESS);
    expect_sent_event(sender2, ERR_CANCEL, IPC_CANCELLED);
    assert_int_equal(command(sender2, QUEUE, CANCEL, 0, 0), FAILURE);
    expect_failure(sender2, ERR_INVAL);
    assert_int_equal(command(owner, QUEUE, DESTROY, 0, 0), SUCCESS);
    expect_sent_event(sender1, ERR_UNINSTALLED, IPC_NOT_SERVING);
    assert_int_equal(send(sender2, d2, "after.", 0), FAILURE_U32);
    expect_failure_u32(sender2, ERR_UNINSTALLED, IPC_NOT_SERVING);
}

static void test_every_send_posts_the_owners_notification_bits(void **state)
{
    (void)state;
    create_queue();
    assert_int_equal(command(owner, QUEUE, NOTIFY, 0x4, 0), SUCCESS);
    assert_int_equal(command(owner, MSG, MSG_RECV, 0x4, 0), SUCCESS_U32); /* armed for bit 2 */
    assert_int_equal(r1(owner), 0);
    uint32_t d1 = lookup(sender1, "q");
    assert_int_equal(send(sender1, d1, "ping..", 0), SUCCESS_U32);
    struct upcall_task task;
    assert_true(upcall_queue_take_match(&owner->queue, MSG, 1, &task));
    assert_int_equal(task.args[0], 0);
    assert_int_equal(task.args[1], 0x4);
    expect_receive("ping..", sender1, 0);
}

/* A SEND or RECV waits until the caller collected its last event of that kind: at most one of
 * each is ever queued, so a process's own events cannot fill its upcall queue. */
static void test_a_new_wait_needs_the_last_event_collected(void **state)
{
    (void)state;
    create_queue();
    uint32_t d1 = lookup(sender1, "q"), d2 = lookup(sender2, "q");
    assert_int_equal(send(sender2, d2, "m1....", 0), SUCCESS_U32);
    assert_int_equal(send(sender2, d2, "m2....", 0), SUCCESS_U32);
    assert_int_equal(send(sender1, d1, "held..", FOREVER), SUCCESS_U32);
    assert_int_equal(command(sender1, QUEUE, CANCEL, 0, 0), SUCCESS);
    assert_int_equal(command(sender1, QUEUE, SEND, d1, FOREVER), FAILURE);
    expect_failure(sender1, ERR_ALREADY); /* its SENT event is still queued */
    expect_sent_event(sender1, ERR_CANCEL, IPC_CANCELLED);
    assert_int_equal(command(sender1, QUEUE, SEND, d1, FOREVER), SUCCESS_U32);
    assert_int_equal(r1(sender1), 1);
    expect_receive("m1....", sender2, 1);
    expect_receive("m2....", sender2, 1);
    assert_int_equal(command(owner, QUEUE, RECV, 5, 0), SUCCESS_2U32); /* "held.." */
    assert_int_equal(command(owner, QUEUE, RECV, 5, 0), SUCCESS_2U32);
    assert_int_equal(r1(owner), 0); /* armed */
    assert_true(fake_alarm_advance(&hw, 5000));
    assert_int_equal(command(owner, QUEUE, RECV, 5, 0), FAILURE);
    expect_failure(owner, ERR_ALREADY); /* its RECEIVED (timeout) event is still queued */
}

/* SENT and RECEIVED are latched: a ring that other drivers' upcalls filled does not drop them
 * (before, the tenth uncollected upcall of any kind was lost), and each is delivered once. */
static void test_events_survive_a_full_upcall_ring(void **state)
{
    (void)state;
    create_queue();
    uint32_t d1 = lookup(sender1, "q");
    struct upcall_task other = {.kind = UPCALL_FUNCTION, .driver_num = FIX_DRV_B, .fn = 0x100};
    while (upcall_queue_push(&sender1->queue, &other) == ERR_OK) {
    }
    while (upcall_queue_push(&owner->queue, &other) == ERR_OK) {
    }
    for (uint32_t i = 0; i < DEPTH; i++) {
        assert_int_equal(send(sender1, d1, "fill..", 0), SUCCESS_U32);
    }
    assert_int_equal(send(sender1, d1, "held..", FOREVER), SUCCESS_U32); /* the queue is full */
    assert_int_equal(command(sender1, QUEUE, CANCEL, 0, 0), SUCCESS);
    assert_int_equal(sender1->queue.count, UPCALL_QUEUE_CAPACITY); /* nothing dropped from it */
    assert_int_not_equal(sender1->queue.latched, 0); /* in its latched slot */
    expect_sent_event(sender1, ERR_CANCEL, IPC_CANCELLED);
    for (uint32_t i = 0; i < DEPTH; i++) {
        expect_receive("fill..", sender1, DEPTH - 1 - i);
    }
    assert_int_equal(command(owner, QUEUE, RECV, 5, 0), SUCCESS_2U32);
    assert_int_equal(r1(owner), 0); /* armed on an empty queue */
    assert_true(fake_alarm_advance(&hw, 5000));
    uint32_t ev[3];
    assert_true(take_event(owner, RECEIVED, ev)); /* the timeout, latched past the full ring */
    assert_int_equal(ev[0], ERR_CANCEL);
    assert_false(take_event(owner, RECEIVED, ev));
}

static void test_sending_to_a_gone_owner_says_dead(void **state)
{
    (void)state;
    create_queue();
    uint32_t d1 = lookup(sender1, "q");
    process_terminate(&fx.k, owner, 0);
    deferred_call_service();
    assert_int_equal(send(sender1, d1, "late..", FOREVER), FAILURE_U32);
    expect_failure_u32(sender1, ERR_UNINSTALLED, IPC_PEER_DEAD);
    assert_int_equal(ipc_queue_held_for(&queue, owner->pid), 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_messages_leave_in_the_order_they_entered),
        T(test_full_and_empty_with_no_wait_are_refused),
        T(test_held_sends_move_in_ticket_order_with_one_event_each),
        T(test_a_new_send_does_not_overtake_a_held_one),
        T(test_send_and_receive_timeouts_end_with_cancel_timeout),
        T(test_armed_receive_gets_the_next_send_directly),
        T(test_sending_needs_a_right_the_owner_granted),
        T(test_only_the_owner_receives_and_bad_handles_are_refused),
        T(test_create_checks_its_arguments_and_the_ring),
        T(test_a_dying_sender_leaves_the_wait_and_the_next_moves_in),
        T(test_an_owner_restart_reaches_its_senders_as_restarted),
        T(test_destroy_and_cancel_end_held_sends_once),
        T(test_every_send_posts_the_owners_notification_bits),
        T(test_a_new_wait_needs_the_last_event_collected),
        T(test_events_survive_a_full_upcall_ring),
        T(test_sending_to_a_gone_owner_says_dead),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
