/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The machine timer (mtime/mtimecmp) shared by the alarm and the scheduler's timeslice; mtimecmp
 * always holds the earlier of the two armed deadlines (see arch/riscv.h).
 *
 * Invariants: alarm_armed/slice_armed say which deadline is live; with neither, mtimecmp is
 * all ones so the timer interrupt stays low.
 */
#include "arch/riscv.h"
#include "kernel/arch.h"

static volatile uint32_t *mtime;
static volatile uint32_t *mtimecmp;
static uint32_t frequency_hz;
/* frequency_hz / 1 MHz when that is exact (QEMU virt: 10), else 0: the timeslice, set on every
 * process switch, then converts with a multiply instead of a 64-bit division. */
static uint32_t ticks_per_us;
static bool alarm_armed;
static uint64_t alarm_deadline;
static bool slice_armed;
static uint64_t slice_deadline;
static bool slice_expired;
/* A full slice in microseconds and in ticks (kept converted for the current frequency). */
static uint32_t full_us;
static uint64_t full_ticks;

static uint64_t ticks_of(uint32_t us)
{
    return ticks_per_us != 0 ? (uint64_t)us * ticks_per_us
                             : (uint64_t)us * frequency_hz / 1000000u;
}

void riscv_timer_init(uintptr_t mtime_address, uintptr_t mtimecmp_address, uint32_t hz)
{
    /* SAFETY: the board's CLINT mtime and hart-0 mtimecmp registers. */
    mtime = (volatile uint32_t *)mtime_address;
    mtimecmp = (volatile uint32_t *)mtimecmp_address;
    frequency_hz = hz;
    ticks_per_us = hz % 1000000u == 0 ? hz / 1000000u : 0;
    full_ticks = ticks_of(full_us);
    mtimecmp[1] = 0xFFFFFFFFu;
    mtimecmp[0] = 0xFFFFFFFFu;
}

uint64_t riscv_timer_now(void)
{
    uint32_t high;
    uint32_t low;
    do {
        high = mtime[1];
        low = mtime[0];
    } while (high != mtime[1]);
    return ((uint64_t)high << 32) | low;
}

uint32_t riscv_timer_frequency(void)
{
    return frequency_hz;
}

static void program(void)
{
    uint64_t next = UINT64_MAX;
    if (alarm_armed) {
        next = alarm_deadline;
    }
    if (slice_armed && slice_deadline < next) {
        next = slice_deadline;
    }
    /* Raise the high word first so no intermediate value is in the past. */
    mtimecmp[1] = 0xFFFFFFFFu;
    mtimecmp[0] = (uint32_t)next;
    mtimecmp[1] = (uint32_t)(next >> 32);
}

void riscv_timer_set_alarm(uint64_t deadline)
{
    alarm_armed = true;
    alarm_deadline = deadline;
    program();
}

void riscv_timer_clear_alarm(void)
{
    alarm_armed = false;
    program();
}

/* While the alarm is armed, mtimecmp is at most its deadline (program() after every change),
 * so with MTIP clear (mtime < mtimecmp) it is not due: one CSR read instead of reading mtime.
 * MTIP set means the alarm or the slice may be due, and mtime decides. */
bool riscv_timer_alarm_due(void)
{
    if (!alarm_armed || (riscv_read_mip() & RISCV_MIP_MTIP) == 0) {
        return false;
    }
    return riscv_timer_now() >= alarm_deadline;
}

static inline __attribute__((always_inline)) void start_ticks(uint64_t ticks)
{
    slice_armed = true;
    slice_expired = false;
    slice_deadline = riscv_timer_now() + ticks;
    program();
}

void arch_timeslice_set_full(uint32_t us)
{
    full_us = us;
    full_ticks = ticks_of(us);
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
    if (slice_armed && riscv_timer_now() >= slice_deadline) {
        slice_expired = true;
    }
    return slice_expired;
}

uint32_t arch_timeslice_remaining_us(void)
{
    uint64_t now = riscv_timer_now();
    if (!slice_armed || now >= slice_deadline) {
        return 0;
    }
    uint64_t left = slice_deadline - now;
    if (ticks_per_us != 0 && left <= UINT32_MAX) {
        return (uint32_t)left / ticks_per_us;
    }
    return (uint32_t)(left * 1000000u / frequency_hz);
}

void arch_timeslice_stop(void)
{
    slice_armed = false;
    program();
}
