/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * zero_memory: memory a process gets is zero: .bss, every byte the break grows into, memory
 * regrown after shrinking, and all of it again after an exit-restart, which must also reload
 * .data.
 *
 * RAM cannot tell a restarted run from the first one (the kernel wipes it), so something outside
 * the process marks "already restarted": LED 0, whose state survives a process restart (off at
 * boot, switched on before restarting, off again at the end). Boards without LEDs fall back to
 * the clock: the first run starts within FIRST_RUN_WINDOW_MS of boot and lets that window pass
 * before restarting, so a run that starts later is the restarted one.
 *
 * Expected output:
 *   zero_memory: first run
 *   zero_memory: bss zero ok
 *   zero_memory: heap zero ok
 *   zero_memory: regrown heap zero ok
 *   zero_memory: data initialised ok
 *   zero_memory: dirtied memory, restarting
 *   zero_memory: after restart
 *   zero_memory: bss zero ok
 *   zero_memory: heap zero ok
 *   zero_memory: regrown heap zero ok
 *   zero_memory: restart saw fresh data
 *   zero_memory: done
 * then exit 0. A failed check prints "zero_memory: FAIL <what>" and exits 1.
 *
 * Usage: load alone or with heartbeat, at boot; nothing else may drive LED 0.
 *
 * Invariants: the heap checks grow the break in CHUNK steps until the kernel says NOMEM, so
 * every byte the process can ever get is checked.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <libtock-sync/services/alarm.h>
#include <libtock/interface/led.h>
#include <libtock/tock.h>

enum {
    CHUNK = 256,
    BSS_BYTES = 1024,
    DATA_MAGIC = 0x5eed1234u,
    MEMOP_SBRK = 1,
    FIRST_RUN_WINDOW_MS = 500,
};

static volatile uint8_t bss_block[BSS_BYTES];
static volatile uint32_t data_flag = DATA_MAGIC;

static bool all_zero(uintptr_t start, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        /* SAFETY: [start, start + len) was just granted by sbrk or is a static array. */
        if (((volatile const uint8_t *)start)[i] != 0) {
            return false;
        }
    }
    return true;
}

static void fill(uintptr_t start, uint32_t len, uint8_t value)
{
    for (uint32_t i = 0; i < len; i++) {
        /* SAFETY: as in all_zero. */
        ((volatile uint8_t *)start)[i] = value;
    }
}

static void fail(const char *what)
{
    printf("zero_memory: FAIL %s\n", what);
    tock_exit(1);
}

/* Grow the break in CHUNK steps until NOMEM; check each new chunk reads zero, then dirty it.
 * Returns the number of chunks grown. */
static uint32_t check_and_dirty_heap(void)
{
    uint32_t chunks = 0;
    for (;;) {
        memop_return_t grown = memop(MEMOP_SBRK, CHUNK);
        if (grown.status != TOCK_STATUSCODE_SUCCESS) {
            break;
        }
        if (!all_zero(grown.data, CHUNK)) {
            fail("new heap memory is not zero");
        }
        fill(grown.data, CHUNK, 0xa5);
        chunks++;
    }
    return chunks;
}

/* Shrink by one chunk and grow again: the regrown bytes must read zero. */
static void check_regrow(void)
{
    if (memop(MEMOP_SBRK, -CHUNK).status != TOCK_STATUSCODE_SUCCESS) {
        fail("could not shrink the break");
    }
    memop_return_t grown = memop(MEMOP_SBRK, CHUNK);
    if (grown.status != TOCK_STATUSCODE_SUCCESS) {
        fail("could not regrow the break");
    }
    if (!all_zero(grown.data, CHUNK)) {
        fail("regrown heap memory is not zero");
    }
    fill(grown.data, CHUNK, 0x5a);
}

static uint32_t ms_since_boot(void)
{
    uint32_t now = 0;
    (void)libtock_alarm_command_read(&now);
    return libtock_alarm_ticks_to_ms(now);
}

int main(void)
{
    int led_on = 0;
    bool have_led = libtock_led_command_read(0, &led_on) == RETURNCODE_SUCCESS;
    bool restarted = have_led ? led_on != 0 : ms_since_boot() >= FIRST_RUN_WINDOW_MS;

    printf(restarted ? "zero_memory: after restart\n" : "zero_memory: first run\n");

    if (!all_zero((uintptr_t)bss_block, BSS_BYTES)) {
        fail(".bss is not zero");
    }
    printf("zero_memory: bss zero ok\n");
    fill((uintptr_t)bss_block, BSS_BYTES, 0xff);

    if (check_and_dirty_heap() == 0) {
        fail("the break cannot grow at all");
    }
    printf("zero_memory: heap zero ok\n");
    check_regrow();
    printf("zero_memory: regrown heap zero ok\n");

    if (data_flag != DATA_MAGIC) {
        fail(restarted ? "restart kept stale .data" : ".data not initialised");
    }
    if (restarted) {
        printf("zero_memory: restart saw fresh data\n");
        (void)libtock_led_off(0);
        printf("zero_memory: done\n");
        return 0;
    }
    printf("zero_memory: data initialised ok\n");
    data_flag = 0;
    if (have_led) {
        (void)libtock_led_on(0);
    } else {
        uint32_t elapsed = ms_since_boot();
        if (elapsed < FIRST_RUN_WINDOW_MS) {
            libtocksync_alarm_delay_ms(FIRST_RUN_WINDOW_MS - elapsed);
        }
    }
    printf("zero_memory: dirtied memory, restarting\n");
    tock_restart(0);
}
