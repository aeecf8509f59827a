/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Power-loss tests for isolated nonvolatile storage (capsules/extra/isolated_nonvolatile_
 * storage.c over capsules/extra/flash_transfer.c): the power is cut in every program and erase
 * of a workload, in every tear variant of the fake flash (tests/fakes/fake_flash.h), and the
 * driver booted again over what the cut left must show:
 *  - every identity whose first request completed still owns its region (the directory entry
 *    survived), and no identity ever gets a region holding another's bytes;
 *  - every byte of every acknowledged write (its upcall came before the cut) in place, and the
 *    rest of each region as it was; only the bytes of the write in flight may hold anything;
 *  - a driver that still allocates, writes and reads, and boots again with everything in place.
 *
 * The workload allocates regions for three identities on first use and writes to them,
 * including overwrites that need an erase: the erase unit they rewrite (through the spare unit
 * and the rewrite journal) also holds the directory page, as on the boards, and the journal is
 * nearly full at the start so that it is erased during the workload. It is run once
 * uncut to count its programs and erases, N; then for every k in 1..N and every tear variant
 * it runs again from erased flash with the power cut in operation k.
 *
 * Usage: make build/host/invs_powercut_test (or `make unit`).
 *
 * Invariants: every run starts from erased flash, fresh grants and a fresh driver; the model
 * (`expected`, `in_flight_*`) changes only when an upcall arrives.
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
#include "capsules/isolated_nonvolatile_storage.h"
#include "capsules/virtual_flash.h"
#include "fake_flash.h"
#include "fake_grant.h"
#include "kernel/deferred_call.h"
#include "storage_fixture.h"

#define PAGE 64u
#define PAGES 24u
#define ERASE_PAGES 4u
#define REGION 128u
#define PROCESSES 6u
#define IDS 4u /* A, B, C in the workload; D only after the cut */

static uint8_t memory[PAGE * PAGES];
static struct fake_flash hw;
static struct mux_flash mux;
static struct virtual_flash data_dev, dir_dev;
static struct isolated_storage invs;
static uint8_t page_buf[PAGE], dir_buf[PAGE];
static struct cmd_queue_entry entries[PROCESSES];
static struct storage_permissions perms[FAKE_GRANT_MAX_PROCESSES];
static struct process_id pids[IDS];
static const uint32_t write_ids[IDS] = { 0xA1, 0xB2, 0xC3, 0xD4 };

/* Directory page 4 and regions 5-6, 7-8, 9-10, 11-12 (units 1 to 3: the directory shares
 * unit 1 with region 0 and half of region 1), spare unit 16, journal unit 20. */
static const struct isolated_storage_config config = {
    .first_page = 4, .region_count = 4, .region_pages = 2, .spare_page = 16,
    .has_journal = true, .journal_page = 20,
    .permissions = storage_permissions_from_table, .ctx = perms };

/* A reboot: fresh driver, grants and processes over the memory as it is, power on. */
static void boot(void)
{
    deferred_call_reset_for_test();
    fake_grant_reset();
    memset(perms, 0, sizeof perms);
    fake_flash_init(&hw, memory, PAGE, PAGES, ERASE_PAGES);
    assert_int_equal(mux_flash_init(&mux, &hw.flash), ERR_OK);
    virtual_flash_init(&data_dev, &mux);
    virtual_flash_init(&dir_dev, &mux);
    assert_int_equal(isolated_storage_init(&invs, &data_dev.flash, &dir_dev.flash, &config,
                                           page_buf, dir_buf, PAGE, &storage_still_clock, entries,
                                           PROCESSES, NULL),
                     ERR_OK);
    for (uint32_t i = 0; i < IDS; i++) {
        pids[i] = fake_process_create();
        perms[pids[i].index] = storage_permissions_self_only(write_ids[i]);
    }
}

static void run(void)
{
    assert_true(storage_settle(&hw, 100000)); /* false: never idle */
}

/* Run one command; returns the upcall's status, or ERR_FAIL when the power died first. */
static err_t operate(uint32_t id, uint32_t num, uint32_t offset)
{
    size_t before = fake_grant_upcall_count();
    struct syscall_return r = driver_command(&invs.driver, num, offset, 0, pids[id]);
    assert_int_equal(r.variant, SYSCALL_SUCCESS);
    run();
    if (fake_grant_upcall_count() == before) {
        assert_true(hw.is_cut);
        return ERR_FAIL;
    }
    assert_int_equal(fake_grant_upcall_count(), before + 1);
    return (err_t)fake_grant_upcall(before)->args[0];
}

static err_t write_at(uint32_t id, uint32_t offset, const uint8_t *data, uint32_t len)
{
    fake_process_allow_ro(pids[id], ISOLATED_NVM_STORAGE_DRIVER_NUM, 0, data, len);
    return operate(id, ISOLATED_STORAGE_CMD_WRITE, offset);
}

static err_t read_region(uint32_t id, uint8_t *out)
{
    fake_process_allow_rw(pids[id], ISOLATED_NVM_STORAGE_DRIVER_NUM, 0, out, REGION);
    return operate(id, ISOLATED_STORAGE_CMD_READ, 0);
}

struct op {
    uint8_t id;
    bool is_size; /* a size request: allocates the region, writes nothing */
    uint8_t offset;
    uint8_t len;
    uint8_t seed;
};

/* First uses (allocations) of three identities, program-only writes, and overwrites that
 * rewrite unit 1 (directory + region 0 + half of region 1) and unit 2. */
static const struct op workload[] = {
    { 0, false, 0, 24, 1 },   { 1, false, 40, 20, 2 },  { 0, false, 70, 30, 3 },
    { 2, true, 0, 0, 0 },     { 0, false, 4, 8, 4 },    { 2, false, 100, 16, 5 },
    { 1, false, 40, 20, 6 },  { 0, false, 120, 8, 7 },  { 2, false, 0, 10, 8 },
    { 2, false, 2, 10, 9 },   { 1, false, 90, 30, 10 }, { 0, false, 10, 60, 11 },
};
#define WORKLOAD_LEN (sizeof workload / sizeof workload[0])

static uint8_t expected[IDS][REGION];
static bool has_in_flight;
static struct op in_flight;

static void fill(uint8_t *data, uint32_t len, uint8_t seed)
{
    for (uint32_t i = 0; i < len; i++) {
        data[i] = (uint8_t)(seed * 37u + i * 11u + 0x21u);
    }
}

static void apply(uint32_t id, uint32_t offset, uint32_t len, uint8_t seed)
{
    fill(expected[id] + offset, len, seed);
}

/* Runs the workload until the power dies; fills expected/in_flight. */
static void run_workload(void)
{
    memset(expected, 0xFF, sizeof expected);
    has_in_flight = false;
    for (size_t i = 0; i < WORKLOAD_LEN; i++) {
        const struct op *op = &workload[i];
        err_t status;
        if (op->is_size) {
            status = operate(op->id, ISOLATED_STORAGE_CMD_SIZE, 0);
        } else {
            static uint8_t data[REGION];
            fill(data, op->len, op->seed);
            status = write_at(op->id, op->offset, data, op->len);
        }
        if (status == ERR_FAIL && hw.is_cut) {
            has_in_flight = true;
            in_flight = *op;
            return;
        }
        assert_int_equal(status, ERR_OK);
        if (!op->is_size) {
            apply(op->id, op->offset, op->len, op->seed);
        }
        if (hw.is_cut) {
            return;
        }
    }
}

static bool is_in_flight_byte(uint32_t id, uint32_t at)
{
    return has_in_flight && !in_flight.is_size && in_flight.id == id &&
           at >= in_flight.offset && at < (uint32_t)in_flight.offset + in_flight.len;
}

/* Every identity reads its whole region: acknowledged bytes in place, the rest blank, only
 * the write in flight free. What is seen becomes the expected state. */
static void check_regions(unsigned k, unsigned tear)
{
    for (uint32_t id = 0; id < IDS; id++) {
        uint8_t got[REGION];
        err_t status = read_region(id, got);
        if (status != ERR_OK) {
            fail_msg("cut %u tear %u: identity %u cannot read its region: %d", k, tear,
                     (unsigned)id, status);
        }
        for (uint32_t at = 0; at < REGION; at++) {
            if (got[at] != expected[id][at] && !is_in_flight_byte(id, at)) {
                fail_msg("cut %u tear %u: identity %u byte %u is 0x%02x, want 0x%02x", k, tear,
                         (unsigned)id, (unsigned)at, got[at], expected[id][at]);
            }
        }
        memcpy(expected[id], got, REGION);
    }
}

static void expect_regions(void)
{
    for (uint32_t id = 0; id < IDS; id++) {
        uint8_t got[REGION];
        assert_int_equal(read_region(id, got), ERR_OK);
        assert_memory_equal(got, expected[id], REGION);
    }
}

/* After the reboot: every identity writes (an overwrite for most, a first use for D), reads
 * back, and all of it is there after another reboot. */
static void check_still_works(void)
{
    for (uint32_t id = 0; id < IDS; id++) {
        uint8_t data[16];
        fill(data, sizeof data, (uint8_t)(100 + id));
        assert_int_equal(write_at(id, 8, data, sizeof data), ERR_OK);
        apply(id, 8, sizeof data, (uint8_t)(100 + id));
    }
    expect_regions();
    boot();
    expect_regions();
}

/* Erased flash, except a journal with all but its last slot used by earlier rewrites (done),
 * so the workload's second rewrite erases the journal unit first. */
static void fresh_flash(void)
{
    memset(memory, 0xFF, sizeof memory);
    uint32_t slots = ERASE_PAGES * PAGE / FLASH_TRANSFER_JOURNAL_SLOT;
    for (uint32_t i = 0; i + 1u < slots; i++) {
        uint8_t *slot = memory + config.journal_page * PAGE + i * FLASH_TRANSFER_JOURNAL_SLOT;
        static const uint8_t done[FLASH_TRANSFER_JOURNAL_SLOT] = {
            0x46, 0x54, 0x4A, 0x31, 4, 0, 0, 0, 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0 };
        memcpy(slot, done, sizeof done);
    }
}

static void fresh_boot(void)
{
    fresh_flash();
    boot();
}

/* After the reboot: every region consistent with what was acknowledged, the driver working. */
static void check_cut(unsigned k, unsigned tear)
{
    check_regions(k, tear);
    check_still_works();
}

static unsigned count_program_erase(void)
{
    fresh_boot();
    run_workload();
    assert_false(hw.is_cut);
    return hw.program_erase_done;
}

static void test_power_cut_in_every_program_and_erase(void **state)
{
    (void)state;
    unsigned n = count_program_erase();
    unsigned erases = hw.erases_done;
    assert_int_equal(erases, 9); /* 4 rewrites (spare, unit) and the journal's erase */
    static const struct storage_cut_campaign campaign = {
        .flash = &hw, .fresh_boot = fresh_boot, .workload = run_workload, .reboot = boot,
        .check = check_cut };
    unsigned runs = storage_cut_everywhere(&campaign, n);
    print_message("invs power cuts: %zu requests, %u programs/erases (%u erases): %u crash "
                  "points x %u tears = %u boots, all consistent\n", WORKLOAD_LEN, n, erases, n,
                  (unsigned)FAKE_FLASH_TEAR_COUNT, runs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_power_cut_in_every_program_and_erase),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
