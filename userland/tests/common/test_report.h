/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Shared helpers for the test apps: error-code names and one-line outcome reports.
 *
 * Usage: test_report_outcome("allow_kernel_ptr", regs) prints "allow_kernel_ptr: INVAL".
 *
 * Invariants: output is deterministic: names for codes 1-13, decimal numbers otherwise.
 */
#pragma once

#include <stdint.h>

#include "tock_syscall_arch.h"

/* The kernel's name for error code `code` (1..13, e.g. "INVAL"), or NULL. */
const char *test_error_name(uint32_t code);

/*
 * Print "<test>: <outcome>" for a syscall's raw registers: the error name for a Failure variant
 * (variants 0-3 carry the code in r1), "SUCCESS" for a Success variant, else "variant <n>".
 */
void test_report_outcome(const char *test, struct tock_syscall_regs regs);
