/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the new IPC (kernel/ipc/: ipc_name.c, ipc_msg.c, ipc_msg_notify.c):
 * the call state machine driven through real syscalls on the kernel fixture's three processes,
 * with a fake alarm for deadlines. Each test names the property it checks: one bounded copy,
 * exactly-once completion (reply, cancel, timeout, server death/restart, SERVE 0), FIFO by
 * ticket, one outstanding call, cycle refusal, forged handles, notification coalescing and
 * rights, leases, waiting lookups, and delivery retry when a process's upcall queue is full.
 *
 * Usage: make build/host/ipc_msg_test && build/host/ipc_msg_test
 */
#include "kernel_fixture.h"

#include "container.h"
#include "fake_alarm.h"
#include "ipc/ipc_msg.h"
#include "ipc/ipc_name.h"

enum {
    NAME = KERNEL_IPC_NAME_DRIVER_NUM,
    MSG = KERNEL_IPC_MSG_DRIVER_NUM,
    SEND = 1,
    CANCEL = 2,
    SERVE = 10,
    RECV = 11,
    REPLY = 12,
    REPLY_RECV = 17,
    BORROW_READ = 13,
    BORROW_WRITE = 14,
    POST = 20,
    POST_BADGE = 21,
    GRANT_POST = 22,
    SET_TIMER = 23,
    WATCH = 24,
    REGISTER = 1,
    LOOKUP = 3,
    REOPEN = 4,
};

static struct fixture fx;
static struct ipc_name names;
static struct ipc_msg msg;
static struct fake_alarm hw;
static struct driver_slot slots[FIX_DRIVERS + 2];
static struct process *server, *client1, *client2;

static int setup(void **state)
{
    (void)state;
    fixture_init_unloaded(&fx, (struct process_fault_policy){ .action = PROCESS_FAULT_STOP });
    const struct driver_slot extra[] = { { NAME, &names.driver }, { MSG, &msg.driver } };
    fixture_add_drivers(&fx, slots, extra, 2);
    fake_alarm_init(&hw, 1000000, 0xFFFF0000u); /* 1 MHz, close to the wrap */
    assert_int_equal(ipc_name_init(&names, &fx.k, ipc_name_allow_all), ERR_OK);
    assert_int_equal(ipc_msg_init(&msg, &fx.k, &names, &hw.alarm), ERR_OK);
    fx.k.processes_loaded = true;
    fake_arch.initial_app_brk = 2048;
    server = fixture_running(&fx, 0);
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

/* ---- syscall helpers ---- */

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

/* Put `text` in p's RAM at offset and allow it read-only as slot n of driver. */
static void allow_text(struct process *p, uint32_t driver, uint32_t n, uint32_t offset,
                       const char *text)
{
    memcpy(ram(p, offset), text, strlen(text));
    assert_int_equal(fixture_sys(&fx, p, CLASS_ALLOW_RO, driver, n, addr(p, offset),
                                 (uint32_t)strlen(text)),
                     130);
}

static void allow_rw(struct process *p, uint32_t n, uint32_t offset, uint32_t len)
{
    assert_int_equal(
        fixture_sys(&fx, p, CLASS_ALLOW_RW, MSG, n, len != 0 ? addr(p, offset) : 0, len), 130);
}

static uint32_t command(struct process *p, uint32_t driver, uint32_t num, uint32_t a0,
                        uint32_t a1)
{
    return fixture_sys(&fx, p, CLASS_COMMAND, driver, num, a0, a1);
}

static void expect_success_u32(struct process *p, uint32_t value)
{
    assert_int_equal(p->context.regs[0], SUCCESS_U32);
    assert_int_equal(r1(p), value);
}

static void expect_failure_u32(struct process *p, err_t err, uint32_t reason)
{
    assert_int_equal(p->context.regs[0], FAILURE_U32);
    assert_int_equal(r1(p), err);
    assert_int_equal(r2(p), reason);
}

static void expect_failure(struct process *p, err_t err)
{
    assert_int_equal(p->context.regs[0], FAILURE);
    assert_int_equal(r1(p), err);
}

/* Take (as Yield-WaitFor would) p's queued event for subscribe `sub`. */
static bool take_event(struct process *p, uint32_t sub, uint32_t args[3])
{
    struct upcall_task task;
    if (!upcall_queue_take_match(&p->queue, MSG, sub, &task)) {
        return false;
    }
    memcpy(args, task.args, 3 * sizeof args[0]);
    return true;
}

static uint32_t count_events(const struct process *p, uint32_t sub)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < p->queue.count; i++) {
        n += p->queue.tasks[i].driver_num == MSG && p->queue.tasks[i].subscribe_num == sub;
    }
    /* And the latched slot (record 030): the driver's events live there. */
    n += p->queue.latched != 0 && upcall_latched_has(&p->queue, MSG, sub);
    return n;
}

static void serve_as(struct process *p, const char *name)
{
    assert_int_equal(command(p, MSG, SERVE, 1, 0), SUCCESS);
    allow_text(p, NAME, 0, 1024, name);
    assert_int_equal(command(p, NAME, REGISTER, 0, 0), SUCCESS);
}

static uint32_t lookup(struct process *p, const char *name)
{
    allow_text(p, NAME, 0, 1024, name);
    assert_int_equal(command(p, NAME, LOOKUP, 0, 0), SUCCESS_U32);
    return r1(p);
}

/* Client: request text at 0, reply buffer of reply_len at 256; SEND. Returns the variant. */
static uint32_t send(struct process *p, uint32_t desc, uint32_t opcode, const char *request,
                     uint32_t reply_len, uint32_t timeout_ms)
{
    allow_text(p, MSG, 0, 0, request);
    allow_rw(p, 0, 256, reply_len);
    return command(p, MSG, SEND, desc | (opcode << 16), timeout_ms);
}

/* Server: receive buffer of 64 bytes at 512; RECV(mask 0, open). Returns r1 (1 = latched). */
static uint32_t recv(struct process *p)
{
    allow_rw(p, 5, 512, 64);
    assert_int_equal(command(p, MSG, RECV, 0, 0), SUCCESS_U32);
    return r1(p);
}

static uint32_t reply(struct process *p, uint32_t token, const char *text, uint32_t code)
{
    allow_text(p, MSG, 5, 768, text);
    return command(p, MSG, REPLY, token, code);
}

/* client1 has collected a successful REPLY event of `text` with response `code`, the text in
 * its reply buffer. */
static void expect_replied(const char *text, uint32_t code)
{
    uint32_t done[3];
    uint32_t len = (uint32_t)strlen(text);
    assert_true(take_event(client1, 0, done));
    assert_int_equal(done[0], ERR_OK);
    assert_int_equal(done[1], len);
    assert_int_equal(done[2], code);
    assert_memory_equal(ram(client1, 256), text, len);
}

/* ---- call / receive / reply ---- */

static void test_call_copies_request_and_reply_once(void **state)
{
    (void)state;
    serve_as(server, "svc");
    uint32_t desc = lookup(client1, "svc");
    assert_int_equal(desc, 1);
    assert_int_equal(recv(server), 0); /* armed: nothing yet */
    assert_int_equal(send(client1, desc, 7, "hello", 16, 0), SUCCESS);
    uint32_t ev[3];
    assert_true(take_event(server, 1, ev));
    assert_int_equal(ev[0] & 0xFF, client1->pid.index + 1);           /* token: client slot */
    assert_int_equal(ev[1], (0u << 30) | (7u << 16) | 5u);             /* endpoint, op, len */
    assert_int_equal(ev[2], ipc_badge(client1->pid));
    assert_memory_equal(ram(server, 512), "hello", 5);
    reply(server, ev[0], "HELLO!", 99);
    expect_success_u32(server, 1);
    expect_replied("HELLO!", 99);
    /* Exactly once: the same token again is dropped, and nothing more is queued. */
    reply(server, ev[0], "again", 0);
    expect_success_u32(server, 0);
    assert_int_equal(count_events(client1, 0), 0);
}

static void test_reply_longer_than_buffer_is_truncated_and_flagged(void **state)
{
    (void)state;
    serve_as(server, "svc");
    uint32_t desc = lookup(client1, "svc");
    assert_int_equal(send(client1, desc, 1, "x", 4, 0), SUCCESS);
    (void)recv(server);
    uint32_t ev[3], done[3];
    assert_true(take_event(server, 1, ev));
    reply(server, ev[0], "0123456789", 0);
    assert_true(take_event(client1, 0, done));
    assert_int_equal(done[1], 4u | 0x80000000u);
    assert_memory_equal(ram(client1, 256), "0123", 4);
    assert_int_equal(ram(client1, 256)[4], 0); /* nothing past the allowed length */
}

static void test_request_over_max_is_size_and_nothing_queued(void **state)
{
    (void)state;
    serve_as(server, "svc");
    uint32_t desc = lookup(client1, "svc");
    memset(ram(client1, 0), 'a', IPC_MAX_MSG + 1);
    assert_int_equal(
        fixture_sys(&fx, client1, CLASS_ALLOW_RO, MSG, 0, addr(client1, 0), IPC_MAX_MSG + 1),
        130);
    allow_rw(client1, 0, 512, 8);
    assert_int_equal(command(client1, MSG, SEND, desc, 0), FAILURE);
    expect_failure(client1, ERR_SIZE);
    assert_int_equal(recv(server), 0);
}

static void test_one_outstanding_call_until_reply_is_collected(void **state)
{
    (void)state;
    serve_as(server, "svc");
    uint32_t desc = lookup(client1, "svc");
    assert_int_equal(send(client1, desc, 1, "a", 8, 0), SUCCESS);
    assert_int_equal(send(client1, desc, 1, "b", 8, 0), FAILURE);
    expect_failure(client1, ERR_ALREADY);
    (void)recv(server);
    uint32_t ev[3], done[3];
    assert_true(take_event(server, 1, ev));
    reply(server, ev[0], "r", 0);
    /* Completed but not yet collected: still one event pending, so still ALREADY. */
    assert_int_equal(send(client1, desc, 1, "b", 8, 0), FAILURE);
    expect_failure(client1, ERR_ALREADY);
    assert_true(take_event(client1, 0, done));
    assert_int_equal(send(client1, desc, 1, "b", 8, 0), SUCCESS);
}

static void test_open_receive_is_fifo_by_send_order_not_slot(void **state)
{
    (void)state;
    serve_as(server, "svc");
    uint32_t d2 = lookup(client2, "svc"), d1 = lookup(client1, "svc");
    assert_int_equal(send(client2, d2, 2, "two", 8, 0), SUCCESS); /* higher slot sends first */
    assert_int_equal(send(client1, d1, 1, "one", 8, 0), SUCCESS);
    uint32_t ev[3];
    assert_int_equal(recv(server), 1);
    assert_true(take_event(server, 1, ev));
    assert_int_equal(ev[2], ipc_badge(client2->pid));
    reply(server, ev[0], "", 0);
    /* client2 sends again at once: it queues behind client1. */
    assert_true(take_event(client2, 0, ev));
    assert_int_equal(send(client2, d2, 2, "two", 8, 0), SUCCESS);
    assert_int_equal(recv(server), 1);
    assert_true(take_event(server, 1, ev));
    assert_int_equal(ev[2], ipc_badge(client1->pid));
}

static void test_closed_receive_takes_only_that_badge(void **state)
{
    (void)state;
    serve_as(server, "svc");
    uint32_t d1 = lookup(client1, "svc"), d2 = lookup(client2, "svc");
    assert_int_equal(send(client1, d1, 1, "one", 8, 0), SUCCESS);
    allow_rw(server, 5, 512, 64);
    assert_int_equal(command(server, MSG, RECV, 0, ipc_badge(client2->pid)), SUCCESS_U32);
    assert_int_equal(r1(server), 0);
    assert_int_equal(send(client2, d2, 1, "two", 8, 0), SUCCESS);
    uint32_t ev[3];
    assert_true(take_event(server, 1, ev));
    assert_int_equal(ev[2], ipc_badge(client2->pid));
}

/* REPLY_RECV answers the call and arms the next receive with the last RECV's filter: here a
 * closed receive, so a queued call from another client is not taken while this client's next
 * call is delivered at once. */
static void test_reply_recv_replies_and_rearms_with_the_last_filter(void **state)
{
    (void)state;
    serve_as(server, "svc");
    uint32_t d1 = lookup(client1, "svc"), d2 = lookup(client2, "svc");
    allow_rw(server, 5, 512, 64);
    assert_int_equal(command(server, MSG, RECV, 0, ipc_badge(client1->pid)), SUCCESS_U32);
    assert_int_equal(send(client1, d1, 1, "one", 8, 0), SUCCESS);
    uint32_t ev[3];
    assert_true(take_event(server, 1, ev));
    assert_int_equal(send(client2, d2, 1, "other", 8, 0), SUCCESS); /* queued, other badge */
    allow_text(server, MSG, 5, 768, "ONE");
    assert_int_equal(command(server, MSG, REPLY_RECV, ev[0], 5), SUCCESS_2U32);
    assert_int_equal(r1(server), 1); /* delivered */
    assert_int_equal(r2(server), 0); /* armed, client2's call does not match */
    expect_replied("ONE", 5);
    assert_int_equal(count_events(server, 1), 0);
    /* client1's next call is taken at once by the re-armed receive. */
    assert_int_equal(send(client1, d1, 2, "two", 8, 0), SUCCESS);
    assert_true(take_event(server, 1, ev));
    assert_int_equal(ev[2], ipc_badge(client1->pid));
    assert_memory_equal(ram(server, 512), "two", 3);
}

/* A REPLY_RECV whose reply fails changes nothing: a token never issued is INVAL and the
 * server is not armed (a call sent afterwards waits queued); one whose client is gone still
 * arms, and a queued call is then delivered at once (ready = 1). */
static void test_reply_recv_with_a_bad_token_arms_nothing(void **state)
{
    (void)state;
    serve_as(server, "svc");
    uint32_t d1 = lookup(client1, "svc"), d2 = lookup(client2, "svc");
    assert_int_equal(recv(server), 0);
    assert_int_equal(send(client1, d1, 1, "one", 8, 0), SUCCESS);
    uint32_t ev[3];
    assert_true(take_event(server, 1, ev));
    allow_text(server, MSG, 5, 768, "x");
    assert_int_equal(command(server, MSG, REPLY_RECV, 0x7777, 0), FAILURE);
    assert_int_equal(r1(server), ERR_INVAL);
    assert_int_equal(send(client2, d2, 1, "two", 8, 0), SUCCESS);
    assert_int_equal(count_events(server, 1), 0); /* not armed: client2's call stays queued */
    assert_int_equal(command(client1, MSG, CANCEL, 0, 0), SUCCESS);
    assert_int_equal(command(server, MSG, REPLY_RECV, ev[0], 0), SUCCESS_2U32);
    assert_int_equal(r1(server), 0); /* client1 is gone: the reply was dropped */
    assert_int_equal(r2(server), 1); /* client2's call was delivered at once */
    assert_true(take_event(server, 1, ev));
    assert_int_equal(ev[2], ipc_badge(client2->pid));
}

/* The per-server count of queued calls never falls below the truth: a call that leaves the
 * queue without a scan (cancel) leaves it high until the next scan, which makes it exact; a
 * server with none is not scanned, and a new call is still delivered at once. */
static void test_queued_call_count_is_an_upper_bound_made_exact_by_each_scan(void **state)
{
    (void)state;
    serve_as(server, "svc");
    uint32_t d1 = lookup(client1, "svc"), d2 = lookup(client2, "svc");
    const uint32_t *queued = &msg.slots[server->pid.index].queued_for;
    assert_int_equal(*queued, 0);
    assert_int_equal(send(client1, d1, 1, "one", 8, 0), SUCCESS);
    assert_int_equal(send(client2, d2, 1, "two", 8, 0), SUCCESS);
    assert_int_equal(*queued, 2);
    allow_rw(server, 5, 512, 64);
    assert_int_equal(command(server, MSG, RECV, 0, ipc_badge(client2->pid)), SUCCESS_U32);
    assert_int_equal(r1(server), 1);
    assert_int_equal(*queued, 1); /* client1's call, which that badge did not take */
    uint32_t ev[3], done[3];
    assert_true(take_event(server, 1, ev));
    assert_int_equal(command(client1, MSG, CANCEL, 0, 0), SUCCESS);
    assert_int_equal(*queued, 1); /* left high */
    assert_int_equal(recv(server), 0);
    assert_int_equal(*queued, 0); /* the scan found none */
    assert_true(take_event(client1, 0, done));
    assert_int_equal(done[0], ERR_CANCEL);
    assert_int_equal(send(client1, d1, 3, "three", 8, 0), SUCCESS);
    assert_int_equal(*queued, 0); /* delivered at once to the armed server */
    assert_true(take_event(server, 1, ev));
    assert_int_equal(ev[2], ipc_badge(client1->pid));
    assert_memory_equal(ram(server, 512), "three", 5);
    /* At its maximum the count saturates (a wrap to 0 would hide a queued call). */
    reply(server, ev[0], "", 0);
    assert_true(take_event(client1, 0, done));
    msg.slots[server->pid.index].queued_for = UINT32_MAX;
    assert_int_equal(send(client1, d1, 4, "four", 8, 0), SUCCESS);
    assert_int_equal(*queued, UINT32_MAX);
    assert_int_equal(recv(server), 1);
    assert_int_equal(*queued, 0);
    assert_memory_equal(ram(server, 512), "four", 4);
}

/* ---- exactly-once completion on every other path ---- */

static void test_cancel_completes_once_and_later_reply_is_dropped(void **state)
{
    (void)state;
    serve_as(server, "svc");
    uint32_t desc = lookup(client1, "svc");
    assert_int_equal(send(client1, desc, 1, "a", 8, 0), SUCCESS);
    (void)recv(server);
    uint32_t ev[3], done[3];
    assert_true(take_event(server, 1, ev));
    assert_int_equal(command(client1, MSG, CANCEL, 0, 0), SUCCESS);
    assert_true(take_event(client1, 0, done));
    assert_int_equal(done[0], ERR_CANCEL);
    assert_int_equal(done[2], IPC_CANCELLED);
    reply(server, ev[0], "late", 0);
    expect_success_u32(server, 0);
    assert_int_equal(count_events(client1, 0), 0);
    assert_int_equal(command(client1, MSG, CANCEL, 0, 0), FAILURE);
    expect_failure(client1, ERR_INVAL);
}

static void test_timeout_completes_at_deadline_and_late_reply_is_dropped(void **state)
{
    (void)state;
    serve_as(server, "svc");
    uint32_t desc = lookup(client1, "svc");
    assert_int_equal(send(client1, desc, 1, "a", 8, 50), SUCCESS);
    (void)recv(server);
    uint32_t ev[3], done[3];
    assert_true(take_event(server, 1, ev));
    assert_true(hw.is_armed);
    assert_false(fake_alarm_advance(&hw, 49999));
    assert_int_equal(count_events(client1, 0), 0);
    assert_true(fake_alarm_advance(&hw, 1)); /* crosses 2^32 on the way: wrap-safe */
    assert_true(take_event(client1, 0, done));
    assert_int_equal(done[0], ERR_CANCEL);
    assert_int_equal(done[2], IPC_TIMEOUT);
    assert_false(hw.is_armed); /* nothing else pending */
    reply(server, ev[0], "late", 0);
    expect_success_u32(server, 0);
    assert_int_equal(send(client1, desc, 1, "b", 8, 0), SUCCESS); /* may call again at once */
}

static void test_server_restart_completes_queued_and_received_calls(void **state)
{
    (void)state;
    serve_as(server, "svc");
    uint32_t d1 = lookup(client1, "svc"), d2 = lookup(client2, "svc");
    assert_int_equal(send(client1, d1, 1, "a", 8, 0), SUCCESS);
    (void)recv(server);
    assert_int_equal(send(client2, d2, 1, "b", 8, 0), SUCCESS); /* stays QUEUED */
    process_restart(&fx.k, server);
    assert_int_equal(count_events(client1, 0), 0); /* the hook only records */
    deferred_call_service();
    uint32_t done[3];
    assert_true(take_event(client1, 0, done));
    assert_int_equal(done[0], ERR_UNINSTALLED);
    assert_int_equal(done[2], IPC_PEER_RESTARTED);
    assert_true(take_event(client2, 0, done));
    assert_int_equal(done[2], IPC_PEER_RESTARTED);
    deferred_call_service();
    assert_int_equal(count_events(client1, 0) + count_events(client2, 0), 0);
    /* The stale descriptor says so; REOPEN works once the new instance registers. */
    assert_int_equal(send(client1, d1, 1, "a", 8, 0), FAILURE_U32);
    expect_failure_u32(client1, ERR_UNINSTALLED, IPC_PEER_RESTARTED);
    fixture_make_running(server);
    serve_as(server, "svc");
    assert_int_equal(command(client1, NAME, REOPEN, d1, 0), SUCCESS_U32);
    assert_int_equal(send(client1, d1, 1, "a", 8, 0), SUCCESS);
}

static void test_server_exit_completes_calls_dead_and_fires_watch(void **state)
{
    (void)state;
    serve_as(server, "svc");
    uint32_t desc = lookup(client1, "svc");
    assert_int_equal(command(client1, MSG, WATCH, desc, 0x8), SUCCESS);
    assert_int_equal(send(client1, desc, 1, "a", 8, 0), SUCCESS);
    process_terminate(&fx.k, server, 0);
    deferred_call_service();
    uint32_t done[3];
    assert_true(take_event(client1, 0, done));
    assert_int_equal(done[2], IPC_PEER_DEAD);
    assert_int_equal(command(client1, MSG, RECV, 0x8, 0), SUCCESS_U32);
    assert_int_equal(r1(client1), 1);
    assert_true(take_event(client1, 1, done));
    assert_int_equal(done[0], 0);
    assert_int_equal(done[1], 0x8);
}

static void test_client_exit_makes_token_stale_without_touching_it(void **state)
{
    (void)state;
    serve_as(server, "svc");
    uint32_t desc = lookup(client1, "svc");
    allow_text(client1, MSG, 1, 128, "lease");
    assert_int_equal(send(client1, desc, 1, "a", 8, 0), SUCCESS);
    (void)recv(server);
    uint32_t ev[3];
    assert_true(take_event(server, 1, ev));
    process_restart(&fx.k, client1);
    deferred_call_service();
    allow_rw(server, 6, 900, 16);
    assert_int_equal(command(server, MSG, BORROW_READ, ev[0], 1u << 24), FAILURE_U32);
    expect_failure_u32(server, ERR_CANCEL, IPC_PEER_DEAD);
    reply(server, ev[0], "reply", 0);
    expect_success_u32(server, 0);
    assert_int_equal(ram(client1, 256)[0], 0); /* the restarted client's RAM is untouched */
}

static void test_serve_off_fails_queued_and_received_calls(void **state)
{
    (void)state;
    serve_as(server, "svc");
    uint32_t d1 = lookup(client1, "svc"), d2 = lookup(client2, "svc");
    assert_int_equal(send(client1, d1, 1, "a", 8, 0), SUCCESS);
    (void)recv(server);
    assert_int_equal(send(client2, d2, 1, "b", 8, 0), SUCCESS);
    assert_int_equal(command(server, MSG, SERVE, 0, 0), SUCCESS);
    uint32_t done[3];
    assert_true(take_event(client1, 0, done));
    assert_int_equal(done[2], IPC_NOT_SERVING);
    assert_true(take_event(client2, 0, done));
    assert_int_equal(done[2], IPC_NOT_SERVING);
    assert_int_equal(send(client1, d1, 1, "a", 8, 0), FAILURE_U32);
    expect_failure_u32(client1, ERR_UNINSTALLED, IPC_NOT_SERVING);
}

/* ---- cycles, forgery ---- */

static void test_cycles_are_refused(void **state)
{
    (void)state;
    serve_as(server, "a");
    serve_as(client1, "b");
    serve_as(client2, "c");
    uint32_t a_to_a = lookup(server, "a"), a_to_b = lookup(server, "b");
    uint32_t b_to_c = lookup(client1, "c"), c_to_a = lookup(client2, "a");
    assert_int_equal(send(server, a_to_a, 1, "", 0, 0), FAILURE_U32);
    expect_failure_u32(server, ERR_FAIL, IPC_WOULD_DEADLOCK);
    assert_int_equal(send(server, a_to_b, 1, "", 0, 0), SUCCESS);
    assert_int_equal(send(client1, b_to_c, 1, "", 0, 0), SUCCESS);
    assert_int_equal(send(client2, c_to_a, 1, "", 0, 0), FAILURE_U32);
    expect_failure_u32(client2, ERR_FAIL, IPC_WOULD_DEADLOCK);
}

static void test_forged_descriptors_and_tokens_are_inval(void **state)
{
    (void)state;
    serve_as(server, "svc");
    uint32_t desc = lookup(client1, "svc");
    const uint32_t descs[] = { 0, desc + 1, IPC_MAX_DESC + 1, 0xFFFF };
    for (unsigned i = 0; i < ARRAY_LEN(descs); i++) {
        assert_int_equal(send(client1, descs[i], 1, "a", 8, 0), FAILURE);
        expect_failure(client1, ERR_INVAL);
    }
    /* client2 never looked anything up: client1's descriptor number means nothing to it. */
    assert_int_equal(send(client2, desc, 1, "a", 8, 0), FAILURE);
    expect_failure(client2, ERR_INVAL);
    assert_int_equal(send(client1, desc, 1, "a", 8, 0), SUCCESS);
    (void)recv(server);
    uint32_t ev[3];
    assert_true(take_event(server, 1, ev));
    /* The real token in the hands of another process is refused. */
    reply(client2, ev[0], "evil", 0);
    expect_failure(client2, ERR_INVAL);
    const uint32_t tokens[] = { 0, ev[0] + (1u << 8), 0x00000010u | (1u << 8), 0x7FFFFF02u };
    for (unsigned i = 0; i < ARRAY_LEN(tokens); i++) {
        reply(server, tokens[i], "x", 0);
        expect_failure(server, ERR_INVAL);
    }
    assert_int_equal(count_events(client1, 0), 0);
}

/* SEND answers a descriptor from a per-slot cache (ipc_msg.h, struct ipc_msg_slot): every
 * change to the descriptor (CLOSE, REOPEN to another peer) and a restart of the client must
 * be seen by the next SEND exactly as without the cache. */
static void test_send_sees_every_descriptor_change_after_a_cached_send(void **state)
{
    (void)state;
    uint32_t ev[3], done[3];
    serve_as(server, "svc");
    uint32_t desc = lookup(client1, "svc");
    assert_int_equal(recv(server), 0);
    assert_int_equal(send(client1, desc, 1, "a", 8, 0), SUCCESS); /* resolved and cached */
    assert_true(take_event(server, 1, ev));
    reply(server, ev[0], "r", 0);
    assert_true(take_event(client1, 0, done));
    /* The same descriptor again: answered from the cache, to the same server. */
    assert_int_equal(recv(server), 0);
    assert_int_equal(send(client1, desc, 1, "b", 8, 0), SUCCESS);
    assert_true(take_event(server, 1, ev));
    assert_int_equal(ev[2], ipc_badge(client1->pid));
    reply(server, ev[0], "r", 0);
    assert_true(take_event(client1, 0, done));
    /* CLOSE: the number means nothing any more. */
    assert_int_equal(command(client1, NAME, 5, desc, 0), SUCCESS);
    assert_int_equal(send(client1, desc, 1, "c", 8, 0), FAILURE);
    expect_failure(client1, ERR_INVAL);
    /* The name now served by client2: a new LOOKUP may reuse the number for the other peer. */
    assert_int_equal(command(server, NAME, 2, 0, 0), SUCCESS); /* UNREGISTER */
    serve_as(client2, "svc");
    assert_int_equal(lookup(client1, "svc"), desc);
    assert_int_equal(recv(client2), 0);
    assert_int_equal(send(client1, desc, 1, "d", 8, 0), SUCCESS);
    assert_true(take_event(client2, 1, ev));
    assert_int_equal(count_events(server, 1), 0);
    reply(client2, ev[0], "r", 0);
    assert_true(take_event(client1, 0, done));
    /* A restarted client holds no descriptors, whatever its slot's cache says. */
    process_restart(&fx.k, client1);
    deferred_call_service();
    fixture_make_running(client1);
    assert_int_equal(send(client1, desc, 1, "e", 8, 0), FAILURE);
    expect_failure(client1, ERR_INVAL);
}

/* ---- notifications ---- */

static void test_notification_flood_is_one_event_and_rights_are_checked(void **state)
{
    (void)state;
    serve_as(server, "svc");
    uint32_t desc = lookup(client1, "svc");
    assert_int_equal(command(client1, MSG, POST, desc, 0x1), FAILURE);
    expect_failure(client1, ERR_NOSUPPORT); /* nothing granted yet */
    assert_int_equal(command(server, MSG, GRANT_POST, 0, 0x1), SUCCESS);
    assert_int_equal(command(server, MSG, RECV, 0x1, 0), SUCCESS_U32);
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(command(client1, MSG, POST, desc, 0x1), SUCCESS);
    }
    assert_int_equal(command(client1, MSG, POST, desc, 0x2), FAILURE);
    expect_failure(client1, ERR_NOSUPPORT);
    assert_int_equal(count_events(server, 1), 1);
    uint32_t ev[3];
    assert_true(take_event(server, 1, ev));
    assert_int_equal(ev[1], 0x1);
    assert_int_equal(command(server, MSG, RECV, 0x3, 0), SUCCESS_U32);
    assert_int_equal(r1(server), 1); /* posts after the delivery coalesced into one bit */
    assert_true(take_event(server, 1, ev));
    assert_int_equal(ev[1], 0x1);
    assert_int_equal(command(server, MSG, RECV, 0x3, 0), SUCCESS_U32);
    assert_int_equal(r1(server), 0); /* the refused 0x2 left no trace */
}

static void test_post_badge_needs_the_targets_grant(void **state)
{
    (void)state;
    serve_as(server, "svc");
    uint32_t desc = lookup(client1, "svc");
    assert_int_equal(command(client1, MSG, GRANT_POST, desc, 0x4), SUCCESS);
    uint32_t badge = ipc_badge(client1->pid);
    assert_int_equal(command(server, MSG, POST_BADGE, badge, 0x4), SUCCESS);
    assert_int_equal(command(client2, MSG, POST_BADGE, badge, 0x4), FAILURE);
    expect_failure(client2, ERR_NOSUPPORT);
    assert_int_equal(command(server, MSG, POST_BADGE, badge + (1u << 8), 0x4), FAILURE_U32);
    expect_failure_u32(server, ERR_UNINSTALLED, IPC_PEER_RESTARTED);
}

static void test_timer_posts_its_bits_at_the_deadline(void **state)
{
    (void)state;
    assert_int_equal(command(client1, MSG, SET_TIMER, 10, 0x10), SUCCESS);
    assert_int_equal(command(client1, MSG, RECV, 0x10, 0), SUCCESS_U32);
    assert_int_equal(r1(client1), 0);
    assert_true(fake_alarm_advance(&hw, 10000));
    uint32_t ev[3];
    assert_true(take_event(client1, 1, ev));
    assert_int_equal(ev[1], 0x10);
}

/* ---- leases ---- */

static void test_leases_copy_within_bounds_and_notice_reallow(void **state)
{
    (void)state;
    serve_as(server, "svc");
    uint32_t desc = lookup(client1, "svc");
    allow_text(client1, MSG, 1, 128, "readable");
    allow_rw(client1, 2, 160, 8);
    assert_int_equal(send(client1, desc, 1, "", 8, 0), SUCCESS);
    (void)recv(server);
    uint32_t ev[3];
    assert_true(take_event(server, 1, ev));
    allow_rw(server, 6, 900, 4);
    assert_int_equal(command(server, MSG, BORROW_READ, ev[0], (1u << 24) | 2), SUCCESS_U32);
    expect_success_u32(server, 4);
    assert_memory_equal(ram(server, 900), "adab", 4);
    assert_int_equal(command(server, MSG, BORROW_READ, ev[0], (1u << 24) | 9), FAILURE);
    expect_failure(server, ERR_SIZE);
    allow_text(server, MSG, 6, 940, "WXYZ");
    assert_int_equal(command(server, MSG, BORROW_WRITE, ev[0], 1u << 24), FAILURE);
    expect_failure(server, ERR_INVAL); /* lease 1 is read-only */
    assert_int_equal(command(server, MSG, BORROW_WRITE, ev[0], (2u << 24) | 6), SUCCESS_U32);
    expect_success_u32(server, 2);
    assert_memory_equal(ram(client1, 166), "WX", 2);
    assert_int_equal(ram(client1, 168)[0], 0); /* never past the lease */
    allow_text(client1, MSG, 1, 128, "readablf"); /* same length, same place: unchanged */
    allow_text(client1, MSG, 1, 129, "eadablf");  /* moved: the lease is gone */
    assert_int_equal(command(server, MSG, BORROW_READ, ev[0], 1u << 24), FAILURE_U32);
    expect_failure_u32(server, ERR_CANCEL, IPC_CANCELLED);
}

/* ---- names ---- */

static void test_waiting_lookup_completes_when_the_name_is_registered(void **state)
{
    (void)state;
    allow_text(client1, NAME, 0, 1024, "late");
    assert_int_equal(command(client1, NAME, LOOKUP, 1, 0), SUCCESS_U32);
    assert_int_equal(r1(client1), 0);
    allow_text(client2, NAME, 0, 1024, "late");
    assert_int_equal(command(client2, NAME, LOOKUP, 0, 0), FAILURE);
    expect_failure(client2, ERR_NODEVICE);
    serve_as(server, "late");
    struct upcall_task task;
    assert_true(upcall_queue_take_match(&client1->queue, NAME, 0, &task));
    assert_int_equal(task.args[0], ERR_OK);
    assert_int_equal(task.args[1], 1);
    allow_text(client2, NAME, 0, 1024, "late");
    assert_int_equal(command(client2, NAME, REGISTER, 0, 0), FAILURE);
    expect_failure(client2, ERR_ALREADY); /* a live name cannot be taken over */
}

/* ---- delivery with a full upcall queue ---- */

static void test_reply_is_latched_while_the_queue_is_full(void **state)
{
    (void)state;
    serve_as(server, "svc");
    uint32_t desc = lookup(client1, "svc");
    assert_int_equal(send(client1, desc, 1, "a", 8, 0), SUCCESS);
    (void)recv(server);
    uint32_t ev[3];
    assert_true(take_event(server, 1, ev));
    struct upcall_task other = { .kind = UPCALL_NULL_RECORD, .driver_num = FIX_DRV_A };
    while (upcall_queue_push(&client1->queue, &other) == ERR_OK) {
    }
    reply(server, ev[0], "r", 5);
    expect_success_u32(server, 1);
    /* The REPLY took the client's latched slot: no ring entry, nothing dropped, no retry. */
    assert_int_equal(client1->queue.count, UPCALL_QUEUE_CAPACITY);
    assert_int_equal(client1->dropped_upcalls, 0);
    assert_int_equal(count_events(client1, 0), 1);
    assert_false(hw.is_armed);
    uint32_t done[3];
    assert_true(take_event(client1, 0, done));
    assert_int_equal(done[2], 5);
    assert_int_equal(count_events(client1, 0), 0); /* exactly once */
}

/* Regression (restart soak): posting rights granted to an instance that has since died were
 * never dropped, and once the descriptor was re-resolved to the new instance nothing could name
 * the old entry any more, so a server that re-granted each restarted client ran out of poster
 * entries (NOMEM) after IPC_MAX_POSTERS restarts. The reaper now drops them like watches. */
static void test_posting_rights_of_a_dead_instance_are_reaped(void **state)
{
    (void)state;
    serve_as(client1, "peer");
    for (uint32_t i = 0; i < 3u * IPC_MAX_POSTERS; i++) {
        uint32_t desc = lookup(server, "peer"); /* refreshes the one descriptor */
        assert_int_equal(command(server, MSG, GRANT_POST, desc, 0x4), SUCCESS);
        struct process_id old = client1->pid;
        assert_int_equal(ipc_msg_references(&msg, old), 1);
        process_restart(&fx.k, client1);
        deferred_call_service();
        assert_int_equal(ipc_msg_references(&msg, old), 0);
        fixture_make_running(client1);
        serve_as(client1, "peer");
    }
}

/* Regression (restart soak): the reaper re-armed the alarm only if something else had marked it
 * dirty, so a dead process's timer (or call deadline) kept the alarm armed for nobody. */
static void test_alarm_is_disarmed_when_the_only_timer_owner_dies(void **state)
{
    (void)state;
    assert_int_equal(command(client1, MSG, SET_TIMER, 10, 0x10), SUCCESS);
    assert_true(hw.is_armed);
    process_restart(&fx.k, client1);
    deferred_call_service();
    assert_false(hw.is_armed);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_call_copies_request_and_reply_once),
        T(test_reply_longer_than_buffer_is_truncated_and_flagged),
        T(test_request_over_max_is_size_and_nothing_queued),
        T(test_one_outstanding_call_until_reply_is_collected),
        T(test_open_receive_is_fifo_by_send_order_not_slot),
        T(test_closed_receive_takes_only_that_badge),
        T(test_reply_recv_replies_and_rearms_with_the_last_filter),
        T(test_reply_recv_with_a_bad_token_arms_nothing),
        T(test_queued_call_count_is_an_upper_bound_made_exact_by_each_scan),
        T(test_cancel_completes_once_and_later_reply_is_dropped),
        T(test_timeout_completes_at_deadline_and_late_reply_is_dropped),
        T(test_server_restart_completes_queued_and_received_calls),
        T(test_server_exit_completes_calls_dead_and_fires_watch),
        T(test_client_exit_makes_token_stale_without_touching_it),
        T(test_serve_off_fails_queued_and_received_calls),
        T(test_cycles_are_refused),
        T(test_forged_descriptors_and_tokens_are_inval),
        T(test_send_sees_every_descriptor_change_after_a_cached_send),
        T(test_notification_flood_is_one_event_and_rights_are_checked),
        T(test_post_badge_needs_the_targets_grant),
        T(test_timer_posts_its_bits_at_the_deadline),
        T(test_leases_copy_within_bounds_and_notice_reallow),
        T(test_waiting_lookup_completes_when_the_name_is_registered),
        T(test_reply_is_latched_while_the_queue_is_full),
        T(test_posting_rights_of_a_dead_instance_are_reaped),
        T(test_alarm_is_disarmed_when_the_only_timer_owner_dies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
