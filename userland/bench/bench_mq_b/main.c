/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * bench_mq_b: the answering side of the message-queue round-trip benchmark (bench/README.md),
 * next to bench_mq_a. Owns a queue of 8-byte messages named "bench.mq.b"; arms a wait-forever
 * RECV on it (marker mq_b_arm_svc), then forever: yield-wait-for on RECEIVED (marker
 * mq_b_wait_svc; the message is in its buffer at mq_b_recv_first), SEND "bench-rp" no-wait to
 * "bench.mq.a" (marker mq_b_send_svc, which copies straight into bench_mq_a's armed buffer), and
 * RECV wait-forever again (marker mq_b_rearm_svc).
 *
 * Expected output: nothing unless setting up fails (`bench mq_b FAIL ...`) or the kernel has no
 * message queues (`bench ipc_queue absent`).
 *
 * Invariants: none beyond bench.h's.
 */
#include "bench/common/bench.h"

#include <libtock/kernel/ipc_msg.h>
#include <libtock/kernel/ipc_queue.h>

#define MSG_LEN 8u

void bench_mq_echo(uint32_t desc) __attribute__((noreturn));

/*
 * The measured code, one copy per architecture (same operations, same markers).
 *
 * SAFETY: bench_mq_echo never returns and only makes system calls, so it needs no stack of its
 * own; r4, r5 / s1, s2 hold the driver number and the descriptor across them (the kernel
 * preserves every register but the return registers r0-r3 / a0-a3).
 */
#if defined(__thumb__)
__asm__(
    BENCH_FUNC(bench_mq_echo)
    "movw r4, #0x8004\n movt r4, #0xA\n mov r5, r0\n"
    "mov r0, r4\n movs r1, #20\n mov.w r2, #-1\n movs r3, #0\n"
    BENCH_MARK(mq_b_arm_svc) "svc 2\n"
    "1: movs r0, #2\n mov r1, r4\n movs r2, #1\n"
    BENCH_MARK(mq_b_wait_svc) "svc 0\n"
    BENCH_MARK(mq_b_recv_first) "mov r0, r4\n movs r1, #10\n mov r2, r5\n movs r3, #0\n"
    BENCH_MARK(mq_b_send_svc) "svc 2\n"
    "mov r0, r4\n movs r1, #20\n mov.w r2, #-1\n movs r3, #0\n"
    BENCH_MARK(mq_b_rearm_svc) "svc 2\n"
    "b 1b\n"
    BENCH_END(bench_mq_echo));
#else
__asm__(
    BENCH_FUNC(bench_mq_echo)
    "li s1, 0xA8004\n mv s2, a0\n"
    "mv a0, s1\n li a1, 20\n li a2, -1\n li a3, 0\n li a4, 2\n"
    BENCH_MARK(mq_b_arm_svc) "ecall\n"
    "1: li a0, 2\n mv a1, s1\n li a2, 1\n li a4, 0\n"
    BENCH_MARK(mq_b_wait_svc) "ecall\n"
    BENCH_MARK(mq_b_recv_first) "mv a0, s1\n li a1, 10\n mv a2, s2\n li a3, 0\n li a4, 2\n"
    BENCH_MARK(mq_b_send_svc) "ecall\n"
    "mv a0, s1\n li a1, 20\n li a2, -1\n li a3, 0\n li a4, 2\n"
    BENCH_MARK(mq_b_rearm_svc) "ecall\n"
    "j 1b\n"
    BENCH_END(bench_mq_echo));
#endif

static char received[MSG_LEN];
static const char answer[MSG_LEN] = "bench-rp";

int main(void)
{
    if (!driver_exists(IPC_QUEUE_DRIVER_NUM)) {
        printf("bench ipc_queue absent\n");
        return 0;
    }
    uint32_t desc = 0;
    int rc = ipc_queue_create(0, MSG_LEN, 2);
    if (rc == RETURNCODE_SUCCESS) {
        rc = ipc_queue_grant_send(0, true);
    }
    if (rc == RETURNCODE_SUCCESS) {
        rc = ipc_name_register("bench.mq.b", 0);
    }
    if (rc == RETURNCODE_SUCCESS) {
        rc = ipc_name_lookup_wait("bench.mq.a", &desc);
    }
    if (rc != RETURNCODE_SUCCESS ||
        !allow_readonly(IPC_QUEUE_DRIVER_NUM, 0, answer, MSG_LEN).success ||
        !allow_readwrite(IPC_QUEUE_DRIVER_NUM, 0, received, MSG_LEN).success) {
        printf("bench mq_b FAIL setup %d\n", rc);
        return 1;
    }
    bench_mq_echo(desc);
}
