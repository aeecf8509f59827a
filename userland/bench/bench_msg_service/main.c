/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * bench_msg_service: the service of the message-IPC round-trip benchmark (bench/README.md), next
 * to bench_msg_client.
 *
 * Enables SERVE, registers the name "bench.msg" on endpoint 0, allows its receive buffer (RW
 * allow 5) and its reply (RO allow 5, the 8 bytes "bench-rp") once, RECVs once with mask 0 and
 * any badge (marker msg_service_recv_svc, next instruction msg_service_recv_ret), then loops
 * forever: yield-wait-for on the RECV subscribe (marker msg_service_wait_svc) until a call
 * arrives (marker msg_service_recv_first, the first instruction after that yield), then
 * REPLY_RECV to its token with code 0, which replies and re-arms the receive in one syscall
 * (marker msg_service_reply_svc, next instruction msg_service_reply_ret). It has armed its
 * receive and is waiting before the client's first SEND (tools/bench.py checks that for the
 * measured one).
 *
 * Expected output: nothing unless setting up fails (`bench msg_service FAIL ...`) or the kernel
 * has no message IPC (`bench ipc_msg absent`).
 *
 * Invariants: none beyond bench.h's.
 */
#include "bench/common/bench.h"

#include <libtock/kernel/ipc_msg.h>

#define MSG_LEN 8u

void bench_msg_serve(void) __attribute__((noreturn));

/*
 * The measured code, one copy per architecture (same operations, same markers).
 *
 * SAFETY: bench_msg_serve never returns and only makes system calls, so it needs no stack of its
 * own; r4 / s1 hold the driver number across them (the kernel preserves every register but the
 * return registers r0-r3 / a0-a3). Yield-wait-for runs no upcall: it returns to the instruction
 * after the `svc`/`ecall` with the event's arguments (token, info, badge) in r0-r2 / a0-a2.
 */
#if defined(__thumb__)
__asm__(
    /* command(ipc_msg, 11 = RECV, mask 0, badge 0); then yield-wait-for(ipc_msg, 1 = RECV)
     * and command(ipc_msg, 17 = REPLY_RECV, token, code 0), forever. */
    BENCH_FUNC(bench_msg_serve)
    "movw r4, #0x8001\n movt r4, #0xA\n"
    "mov r0, r4\n movs r1, #11\n movs r2, #0\n movs r3, #0\n"
    BENCH_MARK(msg_service_recv_svc) "svc 2\n"
    BENCH_MARK(msg_service_recv_ret) "1: movs r0, #2\n mov r1, r4\n movs r2, #1\n"
    BENCH_MARK(msg_service_wait_svc) "svc 0\n"
    BENCH_MARK(msg_service_recv_first) "mov r2, r0\n mov r0, r4\n movs r1, #17\n movs r3, #0\n"
    BENCH_MARK(msg_service_reply_svc) "svc 2\n"
    BENCH_MARK(msg_service_reply_ret) "b 1b\n"
    BENCH_END(bench_msg_serve));
#else
__asm__(
    BENCH_FUNC(bench_msg_serve)
    "li s1, 0xA8001\n"
    "mv a0, s1\n li a1, 11\n li a2, 0\n li a3, 0\n li a4, 2\n"
    BENCH_MARK(msg_service_recv_svc) "ecall\n"
    BENCH_MARK(msg_service_recv_ret) "1: li a0, 2\n mv a1, s1\n li a2, 1\n li a4, 0\n"
    BENCH_MARK(msg_service_wait_svc) "ecall\n"
    BENCH_MARK(msg_service_recv_first) "mv a2, a0\n mv a0, s1\n li a1, 17\n li a3, 0\n li a4, 2\n"
    BENCH_MARK(msg_service_reply_svc) "ecall\n"
    BENCH_MARK(msg_service_reply_ret) "j 1b\n"
    BENCH_END(bench_msg_serve));
#endif

static char request[MSG_LEN];
static const char reply[MSG_LEN] = "bench-rp";

int main(void)
{
    /* ipc_msg_init needs the name registry: a kernel with IPC_MSG has IPC_NAME. */
    if (!driver_exists(IPC_MSG_DRIVER_NUM)) {
        printf("bench ipc_msg absent\n");
        return 0;
    }
    int rc = ipc_serve(true);
    if (rc == RETURNCODE_SUCCESS) {
        rc = ipc_name_register("bench.msg", 0);
    }
    if (rc != RETURNCODE_SUCCESS ||
        !allow_readwrite(IPC_MSG_DRIVER_NUM, 5, request, MSG_LEN).success ||
        !allow_readonly(IPC_MSG_DRIVER_NUM, 5, reply, MSG_LEN).success) {
        printf("bench msg_service FAIL setup: %d\n", rc);
        return 1;
    }
    bench_msg_serve();
}
