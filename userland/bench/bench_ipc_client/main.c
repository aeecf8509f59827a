/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * bench_ipc_client: the client of the IPC round-trip benchmark (bench/README.md), next to
 * bench_ipc_service.
 *
 * Finds the service, waits 10 ms so that it has registered its callback, registers its own
 * callback, then twice: notifies the service (marker ipc_client_notify_svc) and yield-waits
 * (marker ipc_client_yield_svc) until the service's notification runs its callback (marker
 * ipc_client_upcall_first). No buffer is shared: the round trip is notification only.
 *
 * Expected output: `bench bench_ipc_client done` (or `bench ipc_client FAIL ...`, or `bench ipc
 * absent` on a kernel without IPC).
 *
 * Invariants: none beyond bench.h's.
 */
#include "bench/common/bench.h"

#include <libtock/kernel/ipc.h>

void bench_ipc_round_trip(uint32_t service);
void bench_ipc_client_fn(int service, int len, int buf, void *ud);

/*
 * The measured code, one copy per architecture (same operations, same markers).
 *
 * SAFETY: plain AAPCS / RISC-V psABI functions: they change only caller-saved registers (and
 * r4, which is saved) and keep the stack balanced; the yield-wait runs the client callback,
 * which returns to the instruction after the `svc`/`ecall`.
 */
#if defined(__thumb__)
__asm__(
    /* r0 = service: command(ipc, 2 = notify service, service, 0); yield-wait. */
    BENCH_FUNC(bench_ipc_round_trip)
    "push {r4, lr}\n mov r2, r0\n mov.w r0, #0x10000\n movs r1, #2\n movs r3, #0\n"
    BENCH_MARK(ipc_client_notify_svc) "svc 2\n"
    BENCH_MARK(ipc_client_notify_ret) "movs r0, #1\n"
    BENCH_MARK(ipc_client_yield_svc) "svc 0\n"
    "pop {r4, pc}\n"
    BENCH_END(bench_ipc_round_trip)

    BENCH_FUNC(bench_ipc_client_fn)
    BENCH_MARK(ipc_client_upcall_first) "bx lr\n"
    BENCH_END(bench_ipc_client_fn));
#else
__asm__(
    BENCH_FUNC(bench_ipc_round_trip)
    "addi sp, sp, -16\n sw ra, 12(sp)\n"
    "mv a2, a0\n li a0, 0x10000\n li a1, 2\n li a3, 0\n li a4, 2\n"
    BENCH_MARK(ipc_client_notify_svc) "ecall\n"
    BENCH_MARK(ipc_client_notify_ret) "li a0, 1\n li a4, 0\n"
    BENCH_MARK(ipc_client_yield_svc) "ecall\n"
    "lw ra, 12(sp)\n addi sp, sp, 16\n ret\n"
    BENCH_END(bench_ipc_round_trip)

    BENCH_FUNC(bench_ipc_client_fn)
    BENCH_MARK(ipc_client_upcall_first) "ret\n"
    BENCH_END(bench_ipc_client_fn));
#endif

int main(void)
{
    if (!driver_exists(BENCH_IPC_DRIVER)) {
        printf("bench ipc absent\n");
        return 0;
    }
    size_t service = 0;
    while (ipc_discover("bench_ipc_service", &service) != RETURNCODE_SUCCESS) {
        libtocksync_alarm_delay_ms(1);
    }
    libtocksync_alarm_delay_ms(10);
    if (ipc_register_client_callback(service, bench_ipc_client_fn, NULL) != RETURNCODE_SUCCESS) {
        printf("bench ipc_client FAIL could not register\n");
        return 1;
    }
    for (int i = 0; i < 2; i++) {
        bench_ipc_round_trip((uint32_t)service);
    }
    printf("bench bench_ipc_client done\n");
    return 0;
}
