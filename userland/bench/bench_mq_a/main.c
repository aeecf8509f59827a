/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * bench_mq_a: the measuring side of the message-queue round-trip benchmark (bench/README.md),
 * next to bench_mq_b. Message queues are driver IPC_QUEUE 0xA8004 (libtock/kernel/ipc_queue.h).
 *
 * Owns a queue of 8-byte messages named "bench.mq.a", looks up bench_mq_b's "bench.mq.b",
 * allows its message (RO allow 0) and receive buffer (RW allow 0), 8 bytes each, once, waits
 * 10 ms so that bench_mq_b has armed its RECV and yield-waits for it, then twice: RECV wait-
 * forever on its own (empty) queue, which arms it; SEND no-wait to bench.mq.b (marker
 * mq_a_send_svc, next instruction mq_a_send_ret), which copies straight into bench_mq_b's
 * armed buffer; yield-wait-for on RECEIVED (marker mq_a_wait_svc) until bench_mq_b's answer
 * has landed in its buffer (marker mq_a_recv_first, the first instruction after that yield).
 *
 * Expected output: `bench bench_mq_a done` (or `bench mq_a FAIL ...`, or `bench ipc_queue
 * absent` on a kernel without message queues).
 *
 * Invariants: none beyond bench.h's.
 */
#include "bench/common/bench.h"

#include <string.h>

#include <libtock/kernel/ipc_msg.h>
#include <libtock/kernel/ipc_queue.h>

#define MSG_LEN 8u

/* Returns the RECEIVED event's status (0 = a message), or 0xFFFFFFFF if SEND failed. */
uint32_t bench_mq_round_trip(uint32_t desc);

/*
 * The measured code, one copy per architecture (same operations, same markers).
 *
 * SAFETY: plain AAPCS / RISC-V psABI functions: they change only caller-saved registers (and
 * r4, r5 / s1, s2, which they save) and keep the stack balanced. Yield-wait-for runs no upcall:
 * it returns to the instruction after the `svc`/`ecall` with the event's arguments in r0-r2 /
 * a0-a2.
 */
#if defined(__thumb__)
__asm__(
    /* r0 = desc. command(ipc_queue, 20 = RECV, forever); command(ipc_queue, 10 = SEND, desc,
     * no-wait); if that succeeded (variant 129), yield-wait-for(ipc_queue, 1 = RECEIVED). */
    BENCH_FUNC(bench_mq_round_trip)
    "push {r4, r5, r6, lr}\n movw r4, #0x8004\n movt r4, #0xA\n mov r5, r0\n"
    "mov r0, r4\n movs r1, #20\n mov.w r2, #-1\n movs r3, #0\n"
    BENCH_MARK(mq_a_arm_svc) "svc 2\n"
    "mov r0, r4\n movs r1, #10\n mov r2, r5\n movs r3, #0\n"
    BENCH_MARK(mq_a_send_svc) "svc 2\n"
    BENCH_MARK(mq_a_send_ret) "cmp r0, #129\n bne 2f\n"
    "movs r0, #2\n mov r1, r4\n movs r2, #1\n"
    BENCH_MARK(mq_a_wait_svc) "svc 0\n"
    BENCH_MARK(mq_a_recv_first) "pop {r4, r5, r6, pc}\n"
    "2: mov.w r0, #-1\n pop {r4, r5, r6, pc}\n"
    BENCH_END(bench_mq_round_trip));
#else
__asm__(
    BENCH_FUNC(bench_mq_round_trip)
    "addi sp, sp, -16\n sw ra, 12(sp)\n sw s1, 8(sp)\n sw s2, 4(sp)\n li s1, 0xA8004\n"
    "mv s2, a0\n"
    "mv a0, s1\n li a1, 20\n li a2, -1\n li a3, 0\n li a4, 2\n"
    BENCH_MARK(mq_a_arm_svc) "ecall\n"
    "mv a0, s1\n li a1, 10\n mv a2, s2\n li a3, 0\n li a4, 2\n"
    BENCH_MARK(mq_a_send_svc) "ecall\n"
    BENCH_MARK(mq_a_send_ret) "li t0, 129\n bne a0, t0, 2f\n"
    "li a0, 2\n mv a1, s1\n li a2, 1\n li a4, 0\n"
    BENCH_MARK(mq_a_wait_svc) "ecall\n"
    BENCH_MARK(mq_a_recv_first)
    "1: lw s2, 4(sp)\n lw s1, 8(sp)\n lw ra, 12(sp)\n addi sp, sp, 16\n ret\n"
    "2: li a0, -1\n j 1b\n"
    BENCH_END(bench_mq_round_trip));
#endif

static char message[MSG_LEN] = "bench-rq";
static char received[MSG_LEN];

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
        rc = ipc_name_register("bench.mq.a", 0);
    }
    if (rc == RETURNCODE_SUCCESS) {
        rc = ipc_name_lookup_wait("bench.mq.b", &desc);
    }
    if (rc != RETURNCODE_SUCCESS ||
        !allow_readonly(IPC_QUEUE_DRIVER_NUM, 0, message, MSG_LEN).success ||
        !allow_readwrite(IPC_QUEUE_DRIVER_NUM, 0, received, MSG_LEN).success) {
        printf("bench mq_a FAIL setup %d\n", rc);
        return 1;
    }
    libtocksync_alarm_delay_ms(10);
    uint32_t status = 0;
    for (int i = 0; i < 2; i++) {
        status |= bench_mq_round_trip(desc);
    }
    if (status != 0 || memcmp(received, "bench-rp", MSG_LEN) != 0) {
        printf("bench mq_a FAIL status 0x%lx message %.8s\n", (unsigned long)status, received);
        return 1;
    }
    printf("bench bench_mq_a done\n");
    return 0;
}
