/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * bench_ipc_service: the service of the IPC round-trip benchmark (bench/README.md), next to
 * bench_ipc_client.
 *
 * Registers itself as the IPC service "bench_ipc_service" and yield-waits forever (marker
 * ipc_service_yield_svc). Its callback (first instruction: marker ipc_service_upcall_first)
 * notifies the client straight back (marker ipc_service_notify_svc) and returns.
 *
 * Expected output: nothing unless registering fails (`bench ipc_service FAIL ...`) or the
 * kernel has no IPC (`bench ipc absent`).
 *
 * Invariants: none beyond bench.h's.
 */
#include "bench/common/bench.h"

#include <libtock/kernel/ipc.h>

void bench_ipc_service_fn(int client, int len, int buf, void *ud);
void bench_ipc_serve(void) __attribute__((noreturn));

/*
 * The measured code, one copy per architecture (same operations, same markers).
 *
 * SAFETY: the callback changes only caller-saved registers and returns to the kernel-built return
 * address; bench_ipc_serve never returns and only yields, so it needs no stack of its own.
 */
#if defined(__thumb__)
__asm__(
    /* r0 = the notifying client: command(ipc, 3 = notify client, client, 0). */
    BENCH_FUNC(bench_ipc_service_fn)
    BENCH_MARK(ipc_service_upcall_first)
    "mov r2, r0\n mov.w r0, #0x10000\n movs r1, #3\n movs r3, #0\n"
    BENCH_MARK(ipc_service_notify_svc) "svc 2\n"
    BENCH_MARK(ipc_service_notify_ret) "bx lr\n"
    BENCH_END(bench_ipc_service_fn)

    BENCH_FUNC(bench_ipc_serve)
    "1: movs r0, #1\n"
    BENCH_MARK(ipc_service_yield_svc) "svc 0\n"
    "b 1b\n"
    BENCH_END(bench_ipc_serve));
#else
__asm__(
    BENCH_FUNC(bench_ipc_service_fn)
    BENCH_MARK(ipc_service_upcall_first)
    "mv a2, a0\n li a0, 0x10000\n li a1, 3\n li a3, 0\n li a4, 2\n"
    BENCH_MARK(ipc_service_notify_svc) "ecall\n"
    BENCH_MARK(ipc_service_notify_ret) "ret\n"
    BENCH_END(bench_ipc_service_fn)

    BENCH_FUNC(bench_ipc_serve)
    "1: li a0, 1\n li a4, 0\n"
    BENCH_MARK(ipc_service_yield_svc) "ecall\n"
    "j 1b\n"
    BENCH_END(bench_ipc_serve));
#endif

int main(void)
{
    if (!driver_exists(BENCH_IPC_DRIVER)) {
        printf("bench ipc absent\n");
        return 0;
    }
    if (ipc_register_service_callback("bench_ipc_service", bench_ipc_service_fn, NULL) !=
        RETURNCODE_SUCCESS) {
        printf("bench ipc_service FAIL could not register\n");
        return 1;
    }
    bench_ipc_serve();
}
