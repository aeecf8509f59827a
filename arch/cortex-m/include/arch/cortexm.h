/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Cortex-M services for chips and boards: NVIC, SysTick clock, interrupt masking, sleep, and
 * semihosting's exit.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define CORTEXM_IRQ_COUNT 32u

void cortexm_nvic_enable(uint32_t irq);
void cortexm_nvic_disable(uint32_t irq);
void cortexm_nvic_clear_pending(uint32_t irq);
/* Kernel loop only, for a line it is about to enable (see chips/mps2_an385/chip.c). */
void cortexm_nvic_set_pending(uint32_t irq);
/* True when `irq` is pending (the generic handler disabled it and left it pending). */
bool cortexm_nvic_is_pending(uint32_t irq);
/* Lowest pending IRQ number, or -1. */
int32_t cortexm_nvic_next_pending(void);
/* False only when no line is pending; true when one may be (the word the IRQ handler sets): it
 * stays true after the last pending line was taken until cortexm_nvic_next_pending has found
 * none. For the loop's "anything to service?" check: one load, no NVIC access. */
bool cortexm_nvic_may_be_pending(void);

void cortexm_systick_set_clock_mhz(uint32_t mhz);

/* Reset the whole system (SCB AIRCR SYSRESETREQ); never returns. */
__attribute__((noreturn)) void cortexm_system_reset(void);

/* Sleep until an interrupt is pending, unless `has_work` already says there is work; checked
 * with interrupts masked so no wake-up is lost. */
void cortexm_sleep_unless(bool (*has_work)(void));

/* Ask the semihosting host (QEMU with -semihosting-config enable=on,target=native, or a
 * debugger) to stop the machine and exit with `status` (arch/cortex-m/semihosting.c). Returns
 * only if the host ignores the request; without a host the call faults, so only a board that
 * always runs under one may make it. */
void cortexm_semihosting_exit(uint32_t status);
