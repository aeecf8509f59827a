/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * SysTick as the scheduler's timeslice timer (core clock, CORTEXM_SYSTICK_HZ).
 *
 * Invariants: the kernel starts a slice before running a process and stops it after; the
 * SysTick interrupt only forces a return to the kernel (exceptions.S).
 */
#include "arch/cortexm.h"
#include "kernel/arch.h"

#define SYST_CSR 0xE000E010u
#define SYST_RVR 0xE000E014u
#define SYST_CVR 0xE000E018u
#define CSR_ENABLE 0x1u
#define CSR_TICKINT 0x2u
#define CSR_CLKSOURCE 0x4u
#define CSR_COUNTFLAG (1u << 16)
#define SYSTICK_MAX 0xFFFFFFu

/* Core clock in MHz; set by the chip at boot. */
static uint32_t ticks_per_us = 25u;
static bool expired;
/* A full slice in microseconds and in ticks (kept converted for the current clock). */
static uint32_t full_us;
static uint32_t full_ticks;

static volatile uint32_t *reg(uint32_t address)
{
    /* SAFETY: SysTick registers, architecturally present on ARMv7-M. */
    return (volatile uint32_t *)address;
}

static uint32_t ticks_of(uint32_t us)
{
    uint32_t ticks = us * ticks_per_us;
    return ticks > SYSTICK_MAX ? SYSTICK_MAX : ticks;
}

void cortexm_systick_set_clock_mhz(uint32_t mhz)
{
    ticks_per_us = mhz;
    full_ticks = ticks_of(full_us);
}

void arch_timeslice_set_full(uint32_t us)
{
    full_us = us;
    full_ticks = ticks_of(us);
}

static inline __attribute__((always_inline)) void start_ticks(uint32_t ticks)
{
    expired = false;
    *reg(SYST_CSR) = 0;
    *reg(SYST_RVR) = ticks;
    *reg(SYST_CVR) = 0;
    *reg(SYST_CSR) = CSR_ENABLE | CSR_TICKINT | CSR_CLKSOURCE;
}

void arch_timeslice_start(uint32_t us)
{
    start_ticks(ticks_of(us));
}

void arch_timeslice_start_full(void)
{
    start_ticks(full_ticks);
}

bool arch_timeslice_expired(void)
{
    if ((*reg(SYST_CSR) & CSR_COUNTFLAG) != 0) {
        expired = true; /* reading CSR clears COUNTFLAG: remember it */
    }
    return expired;
}

uint32_t arch_timeslice_remaining_us(void)
{
    return arch_timeslice_expired() ? 0 : *reg(SYST_CVR) / ticks_per_us;
}

void arch_timeslice_stop(void)
{
    *reg(SYST_CSR) = 0;
}
