/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Power-loss tests for the nonvolatile storage driver (capsules/extra/nonvolatile_storage.c
 * over capsules/extra/flash_transfer.c with a rewrite journal): the power is cut in every
 * program and erase of a workload, in every tear variant of the fake flash
 * (tests/fakes/fake_flash.h), and the driver booted again over what the cut left must show
 * every byte of every acknowledged write (its upcall came before the cut) and every byte never
 * written as it was. The region is raw bytes with no record structure, so that is the whole
 * guarantee: the bytes of the write in flight may read as anything (old, new, or torn). The
 * driver must then still write and read, and boot again with everything in place.
 *
 * Two layouts: pages of 32 bytes erased one at a time, and erased four at a time (the boards'
 * case: a rewrite copies the unit's other pages through the spare unit). The workload writes
 * across pages and units, in place (only clearing bits) and over written bytes (a rewrite). It
 * is run once uncut to count its programs and erases, N; then for every k in 1..N and every
 * tear variant it runs again from erased flash with the power cut in operation k.
 *
 * Usage: make build/host/nvs_powercut_test (or `make unit`).
 *
 * Invariants: every run starts from erased flash, fresh grants and a fresh driver; the model
 * changes only when an upcall arrives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "driver_command.h"

#include "capsules/driver_num.h"
#include "capsules/nonvolatile_storage.h"
#include "fake_flash.h"
#include "fake_grant.h"
#include "kernel/deferred_call.h"
#include "storage_fixture.h"

#define PAGE 32u
#define PAGES 16u
#define REGION_PAGES 8u
#define REGION (PAGE * REGION_PAGES)
#define PROCESSES 2u

static uint8_t memory[PAGE * PAGES];
static struct fake_flash flash;
static struct nonvolatile_storage nvs;
static uint8_t page_buf[PAGE];
static struct cmd_queue_entry entries[PROCESSES];
static struct process_id app;
static uint32_t erase_pages;
/* Region pages 0-7, spare unit at 8, journal unit at 12. */
static const struct nonvolatile_storage_config config = {
    .first_page = 0, .page_count = REGION_PAGES, .spare_page = 8, .has_journal = true,
    .journal_page = 12 };


/* A reboot: fresh driver, grants and process over the memory as it is, power on. */
static void boot(void)
{
    deferred_call_reset_for_test();
    fake_grant_reset();
    fake_flash_init(&flash, memory, PAGE, PAGES, erase_pages);
    assert_int_equal(nonvolatile_storage_init(&nvs, &flash.flash, &config, page_buf,
                                              sizeof page_buf, &storage_still_clock, entries,
                                              PROCESSES, NULL),
                     ERR_OK);
    app = fake_process_create();
}

static void run(void)
{
    assert_true(storage_settle(&flash, 100000)); /* false: never idle */
}

/* Run one transfer; returns true when its upcall came (all bytes moved), false when the power
 * died first. */
static bool transfer(bool is_write, uint8_t *data, uint32_t offset, uint32_t len)
{
    if (is_write) {
        fake_process_allow_ro(app, NVM_STORAGE_DRIVER_NUM, NONVOLATILE_STORAGE_ALLOW_RO_WRITE,
                              data, len);
    } else {
        fake_process_allow_rw(app, NVM_STORAGE_DRIVER_NUM, NONVOLATILE_STORAGE_ALLOW_RW_READ,
                              data, len);
    }
    size_t before = fake_grant_upcall_count();
    uint32_t num = is_write ? NONVOLATILE_STORAGE_CMD_WRITE : NONVOLATILE_STORAGE_CMD_READ;
    assert_int_equal(driver_command(&nvs.driver, num, offset, len, app).variant,
                     SYSCALL_SUCCESS);
    run();
    if (fake_grant_upcall_count() == before) {
        assert_true(flash.is_cut);
        return false;
    }
    const struct fake_upcall *u = fake_grant_upcall(before);
    assert_int_equal(u->args[0], len);
    assert_int_equal(u->args[1], ERR_OK);
    return true;
}

struct op {
    uint16_t offset;
    uint16_t len;
    uint8_t seed;
};

/* In place, across pages and units, then over written bytes (rewrites of units 0 and 1). */
static const struct op workload[] = {
    { 0, 20, 1 },  { 40, 50, 2 },  { 130, 60, 3 }, { 10, 20, 4 },
    { 100, 60, 5 }, { 200, 40, 6 }, { 0, 8, 7 },   { 60, 100, 8 },
};
#define WORKLOAD_LEN (sizeof workload / sizeof workload[0])

static uint8_t expected[REGION];
static bool has_in_flight;
static struct op in_flight;

static void fill(uint8_t *data, uint32_t len, uint8_t seed)
{
    for (uint32_t i = 0; i < len; i++) {
        data[i] = (uint8_t)(seed * 41u + i * 13u + 0x11u);
    }
}

static void run_workload(void)
{
    memset(expected, 0xFF, sizeof expected);
    has_in_flight = false;
    for (size_t i = 0; i < WORKLOAD_LEN; i++) {
        const struct op *op = &workload[i];
        static uint8_t data[REGION];
        fill(data, op->len, op->seed);
        if (!transfer(true, data, op->offset, op->len)) {
            has_in_flight = true;
            in_flight = *op;
            return;
        }
        fill(expected + op->offset, op->len, op->seed);
        if (flash.is_cut) {
            return;
        }
    }
}

static void read_region(uint8_t *got)
{
    assert_true(transfer(false, got, 0, REGION));
}

static void fresh_boot(void)
{
    memset(memory, 0xFF, sizeof memory);
    boot();
}

/* After the reboot: every acknowledged byte in place (only the write in flight may differ),
 * and the region still works. */
static void check_cut(unsigned k, unsigned tear)
{
    uint8_t got[REGION];
    read_region(got);
    for (uint32_t at = 0; at < REGION; at++) {
        bool is_free = has_in_flight && at >= in_flight.offset &&
                       at < (uint32_t)in_flight.offset + in_flight.len;
        if (got[at] != expected[at] && !is_free) {
            fail_msg("units of %u pages, cut %u tear %u: byte %u is 0x%02x, want 0x%02x",
                     (unsigned)erase_pages, k, tear, (unsigned)at, got[at], expected[at]);
        }
    }
    /* Still works: an overwrite across two pages, then a reboot. */
    memcpy(expected, got, REGION);
    uint8_t data[40];
    fill(data, sizeof data, 99);
    assert_true(transfer(true, data, 20, sizeof data));
    fill(expected + 20, sizeof data, 99);
    boot();
    read_region(got);
    assert_memory_equal(got, expected, REGION);
}

static void test_power_cut_in_every_program_and_erase(void **state)
{
    erase_pages = (uint32_t)(uintptr_t)*state;
    fresh_boot();
    run_workload();
    assert_false(flash.is_cut);
    unsigned n = flash.program_erase_done;
    unsigned erases = flash.erases_done;
    assert_true(erases >= 4); /* the workload rewrites */
    static const struct storage_cut_campaign campaign = {
        .flash = &flash, .fresh_boot = fresh_boot, .workload = run_workload, .reboot = boot,
        .check = check_cut };
    unsigned runs = storage_cut_everywhere(&campaign, n);
    print_message("nvs power cuts, units of %u pages: %zu writes, %u programs/erases (%u "
                  "erases): %u crash points x %u tears = %u boots, acknowledged bytes intact\n",
                  (unsigned)erase_pages, WORKLOAD_LEN, n, erases, n,
                  (unsigned)FAKE_FLASH_TEAR_COUNT, runs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_prestate(test_power_cut_in_every_program_and_erase, (void *)1),
        cmocka_unit_test_prestate(test_power_cut_in_every_program_and_erase, (void *)4),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
