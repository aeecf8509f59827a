/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * ram_guard: a bystander that notices if anyone else writes its RAM.
 *
 * Fills an 8 KiB buffer with a position-dependent pattern and puts a canary word at the far
 * (lowest) end of its stack, then about every 100 ms checks both and reports:
 *   ram_guard: heartbeat <n> ok
 * or, on the first difference,
 *   ram_guard: CORRUPT at 0x<address>: 0x<found> != 0x<expected>
 * after which it stops checking (the evidence stays in the output).
 *
 * Usage: load beside an app that attacks the kernel (syscall_fuzz); on qemu_rv32_virt load it
 * in slot 2, the "other process" RAM that app aims at.
 *
 * Invariants: nothing in this process writes the buffer or the canary after setup.
 */
#include <stdint.h>
#include <stdio.h>

#include <libtock-sync/services/alarm.h>
#include <libtock/tock.h>

#define GUARD_WORDS 2048u
#define CANARY 0x5afe57acu

static uint32_t guard[GUARD_WORDS];

static uint32_t pattern(uint32_t i)
{
    return (i * 0x9e3779b9u) ^ 0xa5a5a5a5u ^ (uint32_t)(uintptr_t)&guard[i];
}

/* Index of the first word that differs from the pattern, or GUARD_WORDS. */
static uint32_t first_bad_word(void)
{
    for (uint32_t i = 0; i < GUARD_WORDS; i++) {
        if (((volatile uint32_t *)guard)[i] != pattern(i)) {
            return i;
        }
    }
    return GUARD_WORDS;
}

int main(void)
{
    for (uint32_t i = 0; i < GUARD_WORDS; i++) {
        guard[i] = pattern(i);
    }
    /* The stack is the first thing in RAM (userland_generic.ld) and grows down towards it. */
    volatile uint32_t *canary = (volatile uint32_t *)tock_app_memory_begins_at();
    *canary = CANARY;
    printf("ram_guard: guarding 0x%08lx+%lu bytes, canary at 0x%08lx\n",
           (unsigned long)(uintptr_t)guard, (unsigned long)sizeof(guard),
           (unsigned long)(uintptr_t)canary);
    for (uint32_t beat = 1;; beat++) {
        libtocksync_alarm_delay_ms(100);
        uint32_t bad = first_bad_word();
        if (bad != GUARD_WORDS) {
            printf("ram_guard: CORRUPT at 0x%08lx: 0x%08lx != 0x%08lx\n",
                   (unsigned long)(uintptr_t)&guard[bad], (unsigned long)guard[bad],
                   (unsigned long)pattern(bad));
            break;
        }
        if (*canary != CANARY) {
            printf("ram_guard: CORRUPT at 0x%08lx: stack canary 0x%08lx\n",
                   (unsigned long)(uintptr_t)canary, (unsigned long)*canary);
            break;
        }
        printf("ram_guard: heartbeat %lu ok\n", (unsigned long)beat);
    }
    for (;;) {
        libtocksync_alarm_delay_ms(1000);
    }
}
