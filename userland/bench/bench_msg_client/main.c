/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * bench_msg_client: the client of the message-IPC round-trip benchmark (bench/README.md), next
 * to bench_msg_service. The message IPC is drivers IPC_NAME 0xA8000 / IPC_MSG 0xA8001
 * (libtock/kernel/ipc_msg.h); bench_ipc_* measure the Tock-compatible IPC 0x10000.
 *
 * Looks up "bench.msg" (waiting for the registration), allows its request (RO allow 0) and
 * reply buffer (RW allow 0), 8 bytes each, once, waits 10 ms so that the service has armed its
 * RECV and yield-waits for it, then twice: SEND (marker msg_client_send_svc, next instruction
 * msg_client_send_ret) and yield-wait-for on the REPLY subscribe (marker msg_client_wait_svc)
 * until the reply is there (marker msg_client_reply_first, the first instruction after that
 * yield). The buffers stay allowed across both calls, so each round trip copies 8 bytes each way
 * and makes no allow calls.
 *
 * Expected output: `bench bench_msg_client done` (or `bench msg_client FAIL ...`, or `bench
 * ipc_msg absent` on a kernel without the message IPC).
 *
 * Invariants: none beyond bench.h's.
 */
#include "bench/common/bench.h"

#include <string.h>

#include <libtock/kernel/ipc_msg.h>

#define MSG_LEN 8u

/* Returns the call's status from the REPLY event (0 = replied), or 0xFFFFFFFF if SEND failed. */
uint32_t bench_msg_round_trip(uint32_t desc);

/*
 * The measured code, one copy per architecture (same operations, same markers).
 *
 * SAFETY: plain AAPCS / RISC-V psABI functions: they change only caller-saved registers (and
 * r4 / s1, which they save) and keep the stack balanced. Yield-wait-for runs no upcall: it
 * returns to the instruction after the `svc`/`ecall` with the event's arguments in r0-r2 /
 * a0-a2.
 */
#if defined(__thumb__)
__asm__(
    /* r0 = desc: command(ipc_msg, 1 = SEND, desc | opcode 0 << 16, timeout 0); if that succeeded
     * (return variant 128), yield-wait-for(ipc_msg, subscribe 0 = REPLY). */
    BENCH_FUNC(bench_msg_round_trip)
    "push {r4, lr}\n movw r4, #0x8001\n movt r4, #0xA\n"
    "mov r2, r0\n mov r0, r4\n movs r1, #1\n movs r3, #0\n"
    BENCH_MARK(msg_client_send_svc) "svc 2\n"
    BENCH_MARK(msg_client_send_ret) "cmp r0, #128\n bne 2f\n"
    "movs r0, #2\n mov r1, r4\n movs r2, #0\n"
    BENCH_MARK(msg_client_wait_svc) "svc 0\n"
    BENCH_MARK(msg_client_reply_first) "pop {r4, pc}\n"
    "2: mov.w r0, #-1\n pop {r4, pc}\n"
    BENCH_END(bench_msg_round_trip));
#else
__asm__(
    BENCH_FUNC(bench_msg_round_trip)
    "addi sp, sp, -16\n sw ra, 12(sp)\n sw s1, 8(sp)\n li s1, 0xA8001\n"
    "mv a2, a0\n mv a0, s1\n li a1, 1\n li a3, 0\n li a4, 2\n"
    BENCH_MARK(msg_client_send_svc) "ecall\n"
    BENCH_MARK(msg_client_send_ret) "li t0, 128\n bne a0, t0, 2f\n"
    "li a0, 2\n mv a1, s1\n li a2, 0\n li a4, 0\n"
    BENCH_MARK(msg_client_wait_svc) "ecall\n"
    BENCH_MARK(msg_client_reply_first) "1: lw s1, 8(sp)\n lw ra, 12(sp)\n addi sp, sp, 16\n ret\n"
    "2: li a0, -1\n j 1b\n"
    BENCH_END(bench_msg_round_trip));
#endif

static char request[MSG_LEN] = "bench-rq";
static char reply[MSG_LEN];

int main(void)
{
    /* ipc_msg_init needs the name registry: a kernel with IPC_MSG has IPC_NAME. */
    if (!driver_exists(IPC_MSG_DRIVER_NUM)) {
        printf("bench ipc_msg absent\n");
        return 0;
    }
    uint32_t desc = 0;
    if (ipc_name_lookup_wait("bench.msg", &desc) != RETURNCODE_SUCCESS ||
        !allow_readonly(IPC_MSG_DRIVER_NUM, 0, request, MSG_LEN).success ||
        !allow_readwrite(IPC_MSG_DRIVER_NUM, 0, reply, MSG_LEN).success) {
        printf("bench msg_client FAIL setup\n");
        return 1;
    }
    libtocksync_alarm_delay_ms(10);
    uint32_t status = 0;
    for (int i = 0; i < 2; i++) {
        status |= bench_msg_round_trip(desc);
    }
    if (status != 0 || memcmp(reply, "bench-rp", MSG_LEN) != 0) {
        printf("bench msg_client FAIL status 0x%lx reply %.8s\n", (unsigned long)status, reply);
        return 1;
    }
    printf("bench bench_msg_client done\n");
    return 0;
}
