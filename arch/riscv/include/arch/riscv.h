/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * RISC-V machine-mode services for chips and boards: the machine timer shared by the alarm and
 * the scheduler's timeslice, interrupt pending bits, and race-free sleep.
 *
 * The single mtimecmp serves two deadlines: the alarm's (owned by the chip's alarm driver) and
 * the timeslice's (owned by the kernel); it is always programmed with the earlier one.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define RISCV_MIP_MTIP (1u << 7)
#define RISCV_MIP_MEIP (1u << 11)

void riscv_timer_init(uintptr_t mtime_address, uintptr_t mtimecmp_address, uint32_t hz);
uint64_t riscv_timer_now(void);
uint32_t riscv_timer_frequency(void);
void riscv_timer_set_alarm(uint64_t deadline);
void riscv_timer_clear_alarm(void);
/* True when an alarm deadline is set and has passed. */
bool riscv_timer_alarm_due(void);

uint32_t riscv_read_mip(void);
void riscv_enable_interrupts(uint32_t mie_bits);

/* Sleep (wfi) unless `has_work` says there is work; machine interrupts stay masked in the
 * kernel, so a pending one only wakes the hart. */
void riscv_sleep_unless(bool (*has_work)(void));
