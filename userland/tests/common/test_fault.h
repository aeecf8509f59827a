/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The fault-policy test apps' one behaviour: run for a while, then fault with a write the MPU
 * or PMP refuses (address 0: kernel flash on mps2, unmapped on RISC-V virt).
 *
 * Usage: test_fault_after_ms("fault_late", 400) prints "fault_late: running", waits 400 ms,
 * prints "fault_late: faulting" and faults; it never returns.
 *
 * Invariants: nothing is printed after "faulting" unless the fault did not happen ("FAIL").
 */
#pragma once

#include <stdint.h>

__attribute__((noreturn)) void test_fault_after_ms(const char *name, uint32_t ms);
