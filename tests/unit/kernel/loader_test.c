/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for process loading (kernel/process_loader.c) against ABI §3.7 and §2.3: TBF
 * objects are assembled in an in-memory app flash at 32-bit addresses; kernel_load_processes()
 * must load every valid app into consecutive slots and RAM, and skip every bad one without
 * disturbing the others. Its console output is checked line by line: one verdict per app found
 * (loaded with its ranges, or skipped with the reason and its numbers), a stop line naming the
 * address of a header that makes the rest of app flash unwalkable, and the closing count.
 *
 * Usage: make build/host/loader_test build/host-san/loader_test && build/host/loader_test
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "app_load_plan.h"
#include "arch/fake_arch.h"
#include "arch/fake_chip.h"
#include "byte_builder.h"
#include "crypto/sha256.h"
#include "crypto/sha512.h"
#include "kernel/credentials.h"
#include "kernel/debug.h"
#include "kernel/kernel.h"
#include "tbf.h"

#define FLASH_SIZE 0x10000u
#define RAM_SIZE 0x4000u
#define SLOTS 4u
#define APP_SIZE 0x400u

struct app_spec {
    const char *name;
    uint32_t total_size; /* APP_SIZE when 0 */
    uint32_t flags;      /* TBF_FLAG_ENABLED unless disabled */
    bool disabled;
    bool no_kernel_version;
    uint16_t major, minor; /* 2.2 when both 0 */
    uint32_t min_ram;
    uint32_t init_fn_offset;
    uint32_t protected_trailer;
    bool fixed;
    uint32_t fixed_ram, fixed_flash;
    bool padding; /* a padding object: base header only */
    bool bad_checksum;
    uint32_t region_count; /* Writeable Flash Regions TLV entries (offset, size) */
    uint32_t regions[2][2];
    uint32_t binary_end; /* binary_end_offset; total_size when 0 (no footers) */
};

static uint8_t *flash;
static uint8_t *ram;
static struct process procs[SLOTS];
static struct kernel k;
static uint32_t flash_used;

static void *map32(size_t len)
{
    void *mem =
        mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    if (mem == MAP_FAILED || (uintptr_t)mem + len > 0xFFFFFFFFu) {
        fprintf(stderr, "loader_test: cannot map below 4 GiB\n");
        abort();
    }
    return mem;
}

static void drain_debug(void)
{
    uint8_t buf[256];
    while (debug_take(buf, sizeof buf) != 0) {
    }
}

static char log_text[8192];

static void capture_debug(void)
{
    size_t n = debug_take((uint8_t *)log_text, sizeof log_text - 1);
    log_text[n] = '\0';
    drain_debug();
}

/* True when `line` (without its newline) is a whole line of the captured output. */
static bool has_line(const char *line)
{
    size_t len = strlen(line);
    for (const char *at = log_text; *at != '\0';) {
        const char *eol = strchr(at, '\n');
        size_t n = eol != NULL ? (size_t)(eol - at) : strlen(at);
        if (n == len && memcmp(at, line, len) == 0) {
            return true;
        }
        at += n + (eol != NULL ? 1u : 0u);
    }
    return false;
}

static void expect_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The formatted line must appear whole in the captured output. */
static void expect_line(const char *fmt, ...)
{
    char line[256];
    va_list args;
    va_start(args, fmt);
    vsnprintf(line, sizeof line, fmt, args);
    va_end(args);
    if (!has_line(line)) {
        fail_msg("missing line: %s\noutput:\n%s", line, log_text);
    }
}

/* How often `text` occurs in the captured output. */
static uint32_t count_of(const char *text)
{
    uint32_t count = 0;
    for (const char *at = log_text; (at = strstr(at, text)) != NULL; at += strlen(text)) {
        count++;
    }
    return count;
}

static void init_kernel(uint32_t slots, uint32_t headroom)
{
    struct kernel_config config = {
        .processes = procs,
        .process_count = slots,
        .drivers = NULL,
        .driver_count = 0,
        .chip = &fake_chip,
        .app_flash_start = (uintptr_t)flash,
        .app_flash_end = (uintptr_t)flash + FLASH_SIZE,
        .app_ram_start = (uintptr_t)ram,
        .app_ram_end = (uintptr_t)ram + RAM_SIZE,
        .fault_policy = { .action = PROCESS_FAULT_STOP },
        .ram_headroom = headroom,
    };
    memset(procs, 0, sizeof procs);
    memset(procs, 0xEE, slots * sizeof procs[0]); /* the table: .noinit garbage to overwrite */
    kernel_init(&k, &config);
}

static int setup(void **state)
{
    (void)state;
    fake_arch_reset();
    fake_chip_reset();
    drain_debug();
    flash = map32(FLASH_SIZE); /* zero-filled: version 0 ends the list */
    ram = map32(RAM_SIZE);
    memset(ram, 0xA5, RAM_SIZE);
    flash_used = 0;
    init_kernel(SLOTS, 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    munmap(flash, FLASH_SIZE);
    munmap(ram, RAM_SIZE);
    return 0;
}

static uintptr_t app_addr(uint32_t offset)
{
    return (uintptr_t)flash + offset;
}

/* The verdict of the app named `name` at flash offset `offset`, skipped for `why`. */
static void expect_skipped(const char *name, uint32_t offset, const char *why)
{
    expect_line("[kernel] load: app \"%s\" at 0x%08x: skipped: %s", name,
                (unsigned)app_addr(offset), why);
}

/* The verdict of an APP_SIZE app at flash offset `offset` given RAM [ram_from, ram_to) (offsets
 * into the RAM pool). */
static void expect_loaded_line(const char *name, uint32_t offset, uint32_t ram_from,
                               uint32_t ram_to)
{
    unsigned base = (unsigned)(uintptr_t)ram;
    expect_line("[kernel] load: app \"%s\" at 0x%08x: loaded (flash 0x%08x-0x%08x, "
                "RAM 0x%08x-0x%08x)", name, (unsigned)app_addr(offset), (unsigned)app_addr(offset),
                (unsigned)app_addr(offset + APP_SIZE), base + ram_from, base + ram_to);
}

static void tlv(struct byte_builder *b, uint16_t type, const void *data, uint16_t len)
{
    byte_builder_u16(b, type);
    byte_builder_u16(b, len);
    byte_builder_bytes(b, data, len);
    byte_builder_align(b, 4, 0);
}

/* Append one TBF object to the app flash; returns its offset. */
static uint32_t add_app(const struct app_spec *s)
{
    uint32_t offset = flash_used;
    uint32_t total = s->total_size != 0 ? s->total_size : APP_SIZE;
    struct byte_builder b;
    byte_builder_init(&b, flash + offset, FLASH_SIZE - offset);
    byte_builder_u16(&b, 2);
    byte_builder_u16(&b, 0); /* header_size, patched below */
    byte_builder_u32(&b, total);
    byte_builder_u32(&b, s->padding ? 0 : (s->disabled ? 0 : TBF_FLAG_ENABLED) | s->flags);
    byte_builder_u32(&b, 0); /* checksum, patched below */
    if (!s->padding) {
        uint8_t program[20];
        struct byte_builder p;
        byte_builder_init(&p, program, sizeof program);
        byte_builder_u32(&p, s->init_fn_offset != 0 ? s->init_fn_offset : 0x29u);
        byte_builder_u32(&p, s->protected_trailer);
        byte_builder_u32(&p, s->min_ram != 0 ? s->min_ram : 0x200u);
        byte_builder_u32(&p, s->binary_end != 0 ? s->binary_end : total);
        byte_builder_u32(&p, 1);     /* app_version */
        tlv(&b, TBF_TLV_PROGRAM, program, sizeof program);
        tlv(&b, TBF_TLV_PACKAGE_NAME, s->name, (uint16_t)strlen(s->name));
        if (!s->no_kernel_version) {
            uint8_t version[4];
            struct byte_builder v;
            byte_builder_init(&v, version, sizeof version);
            byte_builder_u16(&v, s->major != 0 || s->minor != 0 ? s->major : 2);
            byte_builder_u16(&v, s->major != 0 || s->minor != 0 ? s->minor : 2);
            tlv(&b, TBF_TLV_KERNEL_VERSION, version, sizeof version);
        }
        if (s->fixed) {
            uint8_t fixed[8];
            struct byte_builder f;
            byte_builder_init(&f, fixed, sizeof fixed);
            byte_builder_u32(&f, s->fixed_ram);
            byte_builder_u32(&f, s->fixed_flash);
            tlv(&b, TBF_TLV_FIXED_ADDRESSES, fixed, sizeof fixed);
        }
        if (s->region_count != 0) {
            uint8_t regions[16];
            struct byte_builder r;
            byte_builder_init(&r, regions, sizeof regions);
            for (uint32_t i = 0; i < s->region_count; i++) {
                byte_builder_u32(&r, s->regions[i][0]);
                byte_builder_u32(&r, s->regions[i][1]);
            }
            tlv(&b, TBF_TLV_WRITEABLE_FLASH, regions, (uint16_t)r.len);
        }
    }
    byte_builder_set_u16(&b, 2, (uint16_t)b.len);
    uint32_t checksum = 0;
    for (size_t word = 0; word < b.len / 4; word++) {
        if (word != 3) {
            checksum ^= byte_builder_get_u32(&b, word * 4);
        }
    }
    byte_builder_set_u32(&b, 12, s->bad_checksum ? checksum ^ 0x100u : checksum);
    flash_used += total;
    return offset;
}

static uint16_t header_size_at(uint32_t offset)
{
    return (uint16_t)(flash[offset + 2] | flash[offset + 3] << 8);
}

static void expect_loaded(uint32_t slot, const char *name, uint32_t flash_offset,
                          uintptr_t mem_start, uint32_t mem_size)
{
    const struct process *p = &procs[slot];
    assert_int_equal(p->state, PROCESS_YIELDED);
    assert_string_equal(p->name, name);
    assert_int_equal(p->pid.index, slot);
    assert_int_equal(p->flash_start, app_addr(flash_offset));
    assert_int_equal(p->flash_size, APP_SIZE);
    assert_int_equal(p->mem_start, mem_start);
    assert_int_equal(p->mem_size, mem_size);
    assert_int_equal(p->mpu.flash_start, app_addr(flash_offset));
    assert_int_equal(p->queue.count, 1); /* the entry call */
    assert_int_equal(p->queue.tasks[0].driver_num, UPCALL_DRIVER_KERNEL);
}

static void test_valid_apps_load_into_consecutive_slots_and_ram(void **state)
{
    (void)state;
    uint32_t a = add_app(&(struct app_spec){
        .name = "alpha", .min_ram = 0x400, .protected_trailer = 0x10, .init_fn_offset = 0x41});
    uint32_t b = add_app(&(struct app_spec){.name = "beta", .min_ram = 0x300});
    kernel_load_processes(&k);
    capture_debug();
    assert_true(k.processes_loaded);
    expect_loaded(0, "alpha", a, (uintptr_t)ram, 0x400);
    expect_loaded(1, "beta", b, (uintptr_t)ram + 0x400, 0x300);
    assert_int_equal(procs[2].state, PROCESS_EMPTY);
    assert_int_equal(procs[3].state, PROCESS_EMPTY);
    uint16_t hs = header_size_at(a);
    const struct process *p = &procs[0];
    assert_int_equal(p->protected_size, hs + 0x10u);
    assert_int_equal(p->entry_point, app_addr(a) + hs + 0x41u);
    assert_int_equal(p->queue.tasks[0].fn, (uint32_t)(app_addr(a) + hs + 0x41u));
    assert_int_equal(p->queue.tasks[0].args[0], (uint32_t)(app_addr(a) + hs + 0x10u));
    assert_int_equal(p->queue.tasks[0].args[1], (uint32_t)(uintptr_t)ram);
    assert_int_equal(p->queue.tasks[0].args[2], 0x400);
    assert_int_equal(p->queue.tasks[0].args[3], (uint32_t)(uintptr_t)ram + 32u);
    assert_int_equal(p->package_name_len, 5);
    assert_memory_equal(p->package_name, "alpha", 5);
    /* What the process can reach is zeroed (the rest as the break grows or grants take it). */
    for (uintptr_t at = (uintptr_t)ram; at < procs[0].mpu.accessible_end; at++) {
        assert_int_equal(*(volatile uint8_t *)at, 0);
    }
    assert_true(procs[1].pid.id != procs[0].pid.id);
    expect_loaded_line("alpha", a, 0, 0x400);
    expect_loaded_line("beta", b, 0x400, 0x700);
    expect_line("[kernel] load: 2 of 2 apps running");
    assert_int_equal(count_of("\n"), 3); /* one line per app and the count, nothing else */
    /* Grants are frozen now. */
    struct grant g;
    struct grant_config c = {.driver_num = 1, .data_size = 4, .data_align = 4};
    assert_int_equal(grant_create(&g, &k, &c), ERR_ALREADY);
}

static void test_ram_headroom_is_added_to_the_tbf_minimum(void **state)
{
    (void)state;
    init_kernel(SLOTS, 0x100);
    add_app(&(struct app_spec){.name = "alpha", .min_ram = 0x400});
    kernel_load_processes(&k);
    assert_int_equal(procs[0].mem_size, 0x500);
}

static void test_bad_apps_are_skipped_with_reason_and_others_still_load(void **state)
{
    (void)state;
    uint32_t first = add_app(&(struct app_spec){.name = "first", .min_ram = 0x400});
    uint32_t corrupt = add_app(&(struct app_spec){.name = "corrupt", .bad_checksum = true});
    add_app(&(struct app_spec){.name = "pad", .padding = true});
    uint32_t off = add_app(&(struct app_spec){.name = "off", .disabled = true});
    uint32_t future = add_app(&(struct app_spec){.name = "future", .major = 3, .minor = 0});
    uint32_t newer = add_app(&(struct app_spec){.name = "newer", .major = 2, .minor = 9});
    uint32_t nover = add_app(&(struct app_spec){.name = "nover", .no_kernel_version = true});
    uint32_t moved = add_app(&(struct app_spec){
        .name = "moved", .fixed = true, .fixed_ram = 0xFFFFFFFFu, .fixed_flash = 0x08000000u});
    uint32_t hungry = add_app(&(struct app_spec){.name = "hungry", .min_ram = RAM_SIZE});
    uint32_t last = add_app(&(struct app_spec){.name = "last", .min_ram = 0x200});
    kernel_load_processes(&k);
    capture_debug();
    expect_loaded(0, "first", first, (uintptr_t)ram, 0x400);
    expect_loaded(1, "last", last, (uintptr_t)ram + 0x400, 0x200);
    assert_int_equal(procs[2].state, PROCESS_EMPTY);
    /* An unreadable header has no trustworthy name: the line names the address only. */
    expect_line("[kernel] load: app at 0x%08x: skipped: header checksum mismatch",
                (unsigned)app_addr(corrupt));
    expect_skipped("off", off, "disabled");
    expect_skipped("future", future, "needs an incompatible kernel version");
    expect_skipped("newer", newer, "needs an incompatible kernel version");
    expect_skipped("nover", nover, "no kernel version TLV");
    expect_skipped("moved", moved, "linked for a different flash address");
    /* The fake MPU rounds to 8 bytes: RAM_SIZE is what it needs, and 0x400 went to "first". */
    expect_line("[kernel] load: app \"hungry\" at 0x%08x: skipped: needs %u bytes of RAM, "
                "%u left", (unsigned)app_addr(hungry), RAM_SIZE, RAM_SIZE - 0x400u);
    assert_null(strstr(log_text, "pad")); /* padding is not an app: no line, not counted */
    expect_line("[kernel] load: 2 of 9 apps running");
    assert_int_equal(count_of("\n"), 10);
}

static void test_matching_fixed_flash_address_loads(void **state)
{
    (void)state;
    /* The fixed flash address names the app binary: TBF start + header + protected trailer. */
    struct app_spec s = {
        .name = "pinned", .fixed = true, .fixed_ram = 0xFFFFFFFFu, .protected_trailer = 0x20};
    uint32_t probe = add_app(&s);
    uint16_t hs = header_size_at(probe);
    flash_used = 0;
    memset(flash, 0, FLASH_SIZE);
    s.fixed_flash = (uint32_t)app_addr(0) + hs + 0x20u;
    add_app(&s);
    kernel_load_processes(&k);
    capture_debug();
    assert_int_equal(procs[0].state, PROCESS_YIELDED);
    assert_string_equal(procs[0].name, "pinned");
}

static void test_fixed_ram_address_skips_forward_but_never_back(void **state)
{
    (void)state;
    uintptr_t ahead = (uintptr_t)ram + 0x1000;
    add_app(&(struct app_spec){.name = "a", .min_ram = 0x400});
    add_app(&(struct app_spec){.name = "b",
                               .fixed = true,
                               .fixed_ram = (uint32_t)ahead,
                               .fixed_flash = 0xFFFFFFFFu,
                               .min_ram = 0x200});
    add_app(&(struct app_spec){.name = "c",
                               .fixed = true,
                               .fixed_ram = (uint32_t)(uintptr_t)ram,
                               .fixed_flash = 0xFFFFFFFFu,
                               .min_ram = 0x200});
    add_app(&(struct app_spec){.name = "d", .min_ram = 0x200});
    kernel_load_processes(&k);
    capture_debug();
    assert_string_equal(procs[0].name, "a");
    assert_string_equal(procs[1].name, "b");
    assert_int_equal(procs[1].mem_start, ahead);
    assert_string_equal(procs[2].name, "d");
    assert_int_equal(procs[2].mem_start, ahead + 0x200); /* RAM is never handed out backwards */
    expect_skipped("c", 2 * APP_SIZE, "fixed RAM address already taken or outside app RAM");
}

static void test_fixed_ram_address_at_the_end_of_app_ram_is_refused(void **state)
{
    (void)state;
    uint32_t far = add_app(&(struct app_spec){.name = "far",
                                              .fixed = true,
                                              .fixed_ram = (uint32_t)(uintptr_t)ram + RAM_SIZE,
                                              .fixed_flash = 0xFFFFFFFFu});
    kernel_load_processes(&k);
    capture_debug();
    assert_int_equal(procs[0].state, PROCESS_EMPTY);
    expect_skipped("far", far, "fixed RAM address already taken or outside app RAM");
    expect_line("[kernel] load: 0 of 1 apps running");
}

static void test_flash_the_mpu_cannot_cover_is_skipped(void **state)
{
    (void)state;
    fake_arch.flash_reject = true;
    add_app(&(struct app_spec){.name = "odd"});
    kernel_load_processes(&k);
    capture_debug();
    assert_int_equal(procs[0].state, PROCESS_EMPTY);
    expect_skipped("odd", 0, "flash placement the MPU cannot cover");
}

/* Apps past the last slot are still walked and named, each with the slot count; one that
 * could not run anyway says why instead, and padding stays silent. */
static void test_apps_beyond_the_slots_are_named_with_the_slot_count(void **state)
{
    (void)state;
    init_kernel(2, 0);
    add_app(&(struct app_spec){.name = "one"});
    add_app(&(struct app_spec){.name = "two"});
    uint32_t three = add_app(&(struct app_spec){.name = "three"});
    add_app(&(struct app_spec){.name = "pad", .padding = true});
    uint32_t off = add_app(&(struct app_spec){.name = "off", .disabled = true});
    uint32_t four = add_app(&(struct app_spec){.name = "four"});
    kernel_load_processes(&k);
    capture_debug();
    assert_string_equal(procs[0].name, "one");
    assert_string_equal(procs[1].name, "two");
    assert_int_equal(procs[2].state, PROCESS_EMPTY); /* never touched: outside the table */
    expect_skipped("three", three, "no free process slot (2 of 2)");
    expect_skipped("off", off, "disabled");
    expect_skipped("four", four, "no free process slot (2 of 2)");
    expect_line("[kernel] load: 2 of 5 apps running");
    assert_null(strstr(log_text, "pad"));
}

/* The figure is what the MPU would take from the cursor (alignment and rounding included),
 * not the TBF's minimum, so the numbers say exactly how much RAM is missing. */
static void test_ram_shortage_names_what_the_mpu_needs_and_what_is_left(void **state)
{
    (void)state;
    fake_arch.ram_align = 0x1000;
    add_app(&(struct app_spec){.name = "small", .min_ram = 0x400});
    uint32_t big = add_app(&(struct app_spec){.name = "big", .min_ram = 0x3001});
    uint32_t fits = add_app(&(struct app_spec){.name = "fits", .min_ram = 0x3000});
    kernel_load_processes(&k);
    capture_debug();
    expect_skipped("big", big, "needs 16384 bytes of RAM, 12288 left");
    expect_loaded_line("fits", fits, 0x1000, RAM_SIZE);
    expect_line("[kernel] load: 2 of 3 apps running");
}

/* A minimum that the headroom pushes past 32 bits is still reported as a number. */
static void test_ram_request_beyond_32_bits_is_a_shortage_with_numbers(void **state)
{
    (void)state;
    init_kernel(SLOTS, 0x100);
    uint32_t huge = add_app(&(struct app_spec){.name = "huge", .min_ram = 0xFFFFFFF0u});
    kernel_load_processes(&k);
    capture_debug();
    expect_line("[kernel] load: app \"huge\" at 0x%08x: skipped: needs 4294967536 bytes of RAM, "
                "%u left", (unsigned)app_addr(huge), RAM_SIZE);
}

/* An app without a Package Name is shown as "-", as in every other kernel line about it. */
static void test_nameless_app_is_shown_as_a_dash(void **state)
{
    (void)state;
    add_app(&(struct app_spec){.name = ""});
    kernel_load_processes(&k);
    capture_debug();
    expect_loaded_line("-", 0, 0, 0x200);
}

static void test_list_ends_at_erased_or_short_objects(void **state)
{
    (void)state;
    add_app(&(struct app_spec){.name = "one"});
    /* Erased flash (0xFF...) after the first app: version 0xFFFF ends the list. */
    memset(flash + flash_used, 0xFF, 64);
    flash_used += 64;
    add_app(&(struct app_spec){.name = "unreachable"});
    kernel_load_processes(&k);
    capture_debug();
    assert_string_equal(procs[0].name, "one");
    assert_int_equal(procs[1].state, PROCESS_EMPTY);
    assert_null(strstr(log_text, "unreachable"));
    assert_null(strstr(log_text, "stop")); /* erased flash is the normal end: no stop line */
    expect_line("[kernel] load: 1 of 1 apps running");
}

/* Write a version/total_size pair at the next free offset; returns the offset. */
static uint32_t add_bad_lengths(uint16_t version, uint32_t total_size)
{
    uint32_t offset = flash_used;
    struct byte_builder b;
    byte_builder_init(&b, flash + offset, 16);
    byte_builder_u16(&b, version);
    byte_builder_u16(&b, 16);
    byte_builder_u32(&b, total_size);
    flash_used += 16;
    return offset;
}

/* A header the walk cannot step over stops it there, by address and with the bytes left
 * unread; the apps before it still load and the apps after it are never reached. */
static void expect_stop(uint16_t version, uint32_t total_size, const char *why)
{
    uint32_t before = add_app(&(struct app_spec){.name = "before"});
    uint32_t bad = add_bad_lengths(version, total_size);
    flash_used = bad + APP_SIZE;
    add_app(&(struct app_spec){.name = "after"});
    kernel_load_processes(&k);
    capture_debug();
    assert_string_equal(procs[0].name, "before");
    assert_int_equal(procs[0].flash_start, app_addr(before));
    assert_int_equal(procs[1].state, PROCESS_EMPTY);
    expect_line("[kernel] load: stop at 0x%08x: %s; %u bytes of app flash not walked",
                (unsigned)app_addr(bad), why, FLASH_SIZE - bad);
    expect_line("[kernel] load: 1 of 1 apps running");
    assert_null(strstr(log_text, "after"));
    assert_int_equal(count_of("\n"), 3);
}

static void test_total_size_zero_stops_the_walk_instead_of_looping(void **state)
{
    (void)state;
    expect_stop(2, 0, "bad total size 0"); /* Tock would loop forever */
}

static void test_total_size_below_the_base_header_stops_the_walk(void **state)
{
    (void)state;
    expect_stop(2, 15, "bad total size 15");
}

static void test_total_size_past_the_end_of_app_flash_stops_the_walk(void **state)
{
    (void)state;
    /* One byte more than what is left after "before". */
    expect_stop(2, FLASH_SIZE - APP_SIZE + 1u, "bad total size 64513");
}

static void test_huge_total_size_stops_the_walk(void **state)
{
    (void)state;
    expect_stop(2, 0xFFFFFFFFu, "bad total size 4294967295");
}

static void test_unknown_versions_stop_the_walk(void **state)
{
    (void)state;
    expect_stop(1, APP_SIZE, "unknown TBF version 1");
    memset(flash, 0, FLASH_SIZE);
    flash_used = 0;
    init_kernel(SLOTS, 0);
    memset(ram, 0xA5, RAM_SIZE);
    expect_stop(3, APP_SIZE, "unknown TBF version 3");
}

/* An object at the very start that cannot be walked: nothing runs and the count says so. */
static void test_unwalkable_first_object_reports_zero_apps(void **state)
{
    (void)state;
    add_bad_lengths(3, APP_SIZE);
    kernel_load_processes(&k);
    capture_debug();
    expect_line("[kernel] load: stop at 0x%08x: unknown TBF version 3; %u bytes of app flash "
                "not walked", (unsigned)app_addr(0), FLASH_SIZE);
    expect_line("[kernel] load: 0 of 0 apps running");
}

static void test_empty_app_flash_reports_zero_apps(void **state)
{
    (void)state;
    kernel_load_processes(&k);
    capture_debug();
    assert_string_equal(log_text, "[kernel] load: 0 of 0 apps running\n");
}

static void test_unusable_header_size_is_skipped_by_total_size(void **state)
{
    (void)state;
    uint32_t bad = add_app(&(struct app_spec){.name = "bad"});
    flash[bad + 2] = 8; /* header_size 8 < 16: total_size still trusted */
    flash[bad + 3] = 0;
    add_app(&(struct app_spec){.name = "good"});
    kernel_load_processes(&k);
    capture_debug();
    assert_string_equal(procs[0].name, "good");
    assert_int_equal(procs[0].pid.index, 0);
    expect_line("[kernel] load: app at 0x%08x: skipped: header size below 16, over total size, "
                "or unaligned", (unsigned)app_addr(bad));
    expect_line("[kernel] load: 1 of 2 apps running");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

/* A Writeable Flash Region must lie in the app's own image after its header and protected
 * trailer: one over the previous app, the header, past the end or wrapping is refused by name,
 * and the apps after it still load. */
static void test_writeable_regions_outside_the_image_are_refused(void **state)
{
    (void)state;
    static const uint32_t bad[][2] = {
        {0x0u, 0x10u},                      /* over the header */
        {0x3F8u, 0x10u},                    /* runs past the end of the image */
        {0x400u, 0x4u},                     /* starts at the next image */
        {0xFFFFFC00u, 0x500u},              /* wraps: offset + size is 0x100 */
        {0x100u, 0xFFFFFFFFu},              /* wraps from inside */
    };
    uint32_t first = add_app(&(struct app_spec){
        .name = "own", .region_count = 2, .regions = {{0x100u, 0x40u}, {0x3F0u, 0x10u}}});
    for (uint32_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        add_app(&(struct app_spec){
            .name = "thief", .region_count = 1, .regions = {{bad[i][0], bad[i][1]}}});
    }
    uint32_t last = add_app(&(struct app_spec){.name = "last"});
    kernel_load_processes(&k);
    capture_debug();
    expect_loaded(0, "own", first, (uintptr_t)ram, 0x200);
    assert_int_equal(procs[0].writeable_region_count, 2);
    expect_loaded(1, "last", last, (uintptr_t)ram + 0x200, 0x200);
    for (uint32_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        expect_skipped("thief", (i + 1) * APP_SIZE,
                       "writeable flash region outside the app's own image");
    }
    assert_int_equal(count_of("app \"thief\""), sizeof bad / sizeof bad[0]);
}

/* A region starting right after the protected trailer and one ending at the image end load. */
static void test_writeable_region_bounds_are_inclusive_of_the_image(void **state)
{
    (void)state;
    struct app_spec s = {.name = "edge", .protected_trailer = 0x20};
    uint32_t probe = add_app(&s);
    uint16_t hs = header_size_at(probe);
    flash_used = 0;
    memset(flash, 0, FLASH_SIZE);
    /* The TLV adds 4 + 16 bytes to the header: place the first region right after it. */
    uint32_t image_start = hs + 20u + 0x20u;
    s.region_count = 2;
    s.regions[0][0] = image_start;
    s.regions[0][1] = 4;
    s.regions[1][0] = APP_SIZE - 8u;
    s.regions[1][1] = 8;
    add_app(&s);
    kernel_load_processes(&k);
    capture_debug();
    assert_int_equal(procs[0].state, PROCESS_YIELDED);
    assert_int_equal(procs[0].protected_size, image_start);
    s.regions[0][0] = image_start - 4u; /* inside the protected trailer */
    flash_used = 0;
    memset(flash, 0, FLASH_SIZE);
    add_app(&s);
    init_kernel(SLOTS, 0);
    kernel_load_processes(&k);
    capture_debug();
    assert_int_equal(procs[0].state, PROCESS_EMPTY);
    expect_skipped("edge", 0, "writeable flash region outside the app's own image");
}

/* A fixed RAM address the MPU cannot start a region at says so, not "not enough RAM". */
static void test_unaligned_fixed_ram_address_has_its_own_reason(void **state)
{
    (void)state;
    add_app(&(struct app_spec){.name = "odd",
                               .fixed = true,
                               .fixed_ram = (uint32_t)(uintptr_t)ram + 0x102u,
                               .fixed_flash = 0xFFFFFFFFu});
    add_app(&(struct app_spec){.name = "next"});
    kernel_load_processes(&k);
    capture_debug();
    assert_string_equal(procs[0].name, "next");
    expect_skipped("odd", 0, "fixed RAM address not aligned as the MPU requires");
    assert_null(strstr(log_text, "bytes of RAM"));
}

/* App credentials (kernel/credentials.c, doc/reference/025-app-credentials.md). */
#define FOOTERS_AT 0x300u /* binary_end_offset of the credential tests' apps */

/* Write a `format` hash credential over [0, FOOTERS_AT) of the app at `offset` at footer
 * position `at` (from FOOTERS_AT); returns the position after it. */
static uint32_t put_hash(uint32_t offset, uint32_t at, uint32_t format)
{
    uint8_t *tbf = flash + offset;
    uint32_t len = format == TBF_CREDENTIAL_SHA256 ? 32u : format == TBF_CREDENTIAL_SHA384 ? 48u
                                                                                            : 64u;
    uint8_t digest[64];
    if (format == TBF_CREDENTIAL_SHA256) {
        sha256_digest(tbf, FOOTERS_AT, digest);
    } else {
        struct sha512_ctx ctx;
        sha512_init(&ctx, len);
        sha512_update(&ctx, tbf, FOOTERS_AT);
        sha512_finish(&ctx, digest);
    }
    struct byte_builder b;
    byte_builder_init(&b, tbf + FOOTERS_AT + at, APP_SIZE - FOOTERS_AT - at);
    byte_builder_u16(&b, TBF_TLV_CREDENTIALS);
    byte_builder_u16(&b, (uint16_t)(4u + len));
    byte_builder_u32(&b, format);
    byte_builder_bytes(&b, digest, len);
    return at + 8u + len;
}

/* An APP_SIZE app named `name` whose footers start at FOOTERS_AT with a `format` hash (none
 * when 0); returns its offset. */
static uint32_t add_hashed_app(const char *name, uint32_t format)
{
    uint32_t offset = add_app(&(struct app_spec){ .name = name, .binary_end = FOOTERS_AT });
    for (uint32_t i = 0x60; i < FOOTERS_AT; i++) {
        flash[offset + i] = (uint8_t)(i * 13u); /* a binary to cover */
    }
    if (format != 0) {
        (void)put_hash(offset, 0, format);
    }
    return offset;
}

static void load_with_policy(const struct credential_policy *policy)
{
    kernel_set_credential_policy(&k, policy);
    kernel_load_processes(&k);
    capture_debug();
}

static void test_demo_policy_checks_the_hashes_apps_carry(void **state)
{
    (void)state;
    uint32_t a = add_hashed_app("a", TBF_CREDENTIAL_SHA256);
    uint32_t b = add_hashed_app("b", TBF_CREDENTIAL_SHA384);
    uint32_t c = add_hashed_app("c", TBF_CREDENTIAL_SHA512);
    uint32_t d = add_hashed_app("d", 0);
    flash[b + 0x100] ^= 0x01; /* one bit of b's binary */
    static const struct credential_policy demo = { .mode = CREDENTIALS_ACCEPT_ALL };
    load_with_policy(&demo);
    expect_skipped("b", b, "SHA-384 credential does not match the image");
    expect_line("[kernel] load: 3 of 4 apps running");
    assert_int_equal(procs[0].flash_start, app_addr(a));
    assert_int_equal(procs[0].identity.authority, APP_AUTHORITY_HASH);
    assert_int_equal(procs[1].flash_start, app_addr(c));
    assert_int_equal(procs[1].identity.authority, APP_AUTHORITY_HASH);
    assert_int_equal(procs[2].flash_start, app_addr(d));
    assert_int_equal(procs[2].identity.authority, APP_AUTHORITY_NONE);
    assert_int_not_equal(procs[2].identity.short_id, 0);
}

static void test_each_hash_detects_a_changed_header_byte(void **state)
{
    (void)state;
    static const uint32_t formats[] = { TBF_CREDENTIAL_SHA256, TBF_CREDENTIAL_SHA384,
                                        TBF_CREDENTIAL_SHA512 };
    static const char *const names[] = { "x", "y", "z" };
    uint32_t at[3];
    for (uint32_t i = 0; i < 3; i++) {
        at[i] = add_hashed_app(names[i], formats[i]);
        flash[at[i] + 8] ^= 0x02; /* the flags word: still enabled, checksum now wrong... */
        flash[at[i] + 12] ^= 0x02; /* ...and mended, so only the credential can tell */
    }
    static const struct credential_policy demo = { .mode = CREDENTIALS_ACCEPT_ALL };
    load_with_policy(&demo);
    expect_skipped("x", at[0], "SHA-256 credential does not match the image");
    expect_skipped("y", at[1], "SHA-384 credential does not match the image");
    expect_skipped("z", at[2], "SHA-512 credential does not match the image");
    expect_line("[kernel] load: 0 of 3 apps running");
}

static void test_require_hash_refuses_apps_without_a_matching_one(void **state)
{
    (void)state;
    uint32_t plain = add_hashed_app("plain", 0);
    (void)add_hashed_app("hashed", TBF_CREDENTIAL_SHA512);
    uint32_t broken = add_hashed_app("broken", 0);
    flash[broken + FOOTERS_AT] = 0x55; /* a footer that is not a Credentials TLV */
    static const struct credential_policy require_hash = { .mode = CREDENTIALS_REQUIRE_HASH };
    load_with_policy(&require_hash);
    expect_skipped("plain", plain, "no matching hash or listed key's signature (required)");
    expect_skipped("broken", broken, "no matching hash or listed key's signature (required)");
    expect_line("[kernel] load: 1 of 3 apps running");
    assert_string_equal(procs[0].name, "hashed");
}

static void test_require_signature_refuses_a_hash_alone(void **state)
{
    (void)state;
    uint32_t hashed = add_hashed_app("hashed", TBF_CREDENTIAL_SHA256);
    static const struct credential_key key = { .public_key = { 1 } };
    static const struct credential_policy require_signature = {
        .mode = CREDENTIALS_REQUIRE_SIGNATURE, .keys = &key, .key_count = 1 };
    load_with_policy(&require_signature);
    expect_skipped("hashed", hashed, "no signature by a listed key (required)");
    expect_line("[kernel] load: 0 of 1 apps running");
}

static void test_a_signature_by_no_listed_key_is_refused(void **state)
{
    (void)state;
    uint32_t signed_app = add_hashed_app("signed", 0);
    struct byte_builder b;
    byte_builder_init(&b, flash + signed_app + FOOTERS_AT, APP_SIZE - FOOTERS_AT);
    byte_builder_u16(&b, TBF_TLV_CREDENTIALS);
    byte_builder_u16(&b, 68);
    byte_builder_u32(&b, TBF_CREDENTIAL_ECDSA_NIST_P256);
    for (uint32_t i = 0; i < 64; i++) {
        byte_builder_u8(&b, (uint8_t)(i + 1)); /* r and s in range, made by no key */
    }
    static const struct credential_policy no_keys = { .mode = CREDENTIALS_ACCEPT_ALL };
    load_with_policy(&no_keys); /* no keys: the signature decides nothing */
    expect_line("[kernel] load: 1 of 1 apps running");
    setup(NULL);
    signed_app = add_hashed_app("signed", 0);
    memcpy(flash + signed_app + FOOTERS_AT, b.buf, b.len);
    /* The RFC 6979 A.2.5 public key: a valid point, and not the signer. */
    static const struct credential_key key = { .public_key = {
        0x60, 0xfe, 0xd4, 0xba, 0x25, 0x5a, 0x9d, 0x31, 0xc9, 0x61, 0xeb, 0x74, 0xc6, 0x35, 0x6d,
        0x68, 0xc0, 0x49, 0xb8, 0x92, 0x3b, 0x61, 0xfa, 0x6c, 0xe6, 0x69, 0x62, 0x2e, 0x60, 0xf2,
        0x9f, 0xb6, 0x79, 0x03, 0xfe, 0x10, 0x08, 0xb8, 0xbc, 0x99, 0xa4, 0x1a, 0xe9, 0xe9, 0x56,
        0x28, 0xbc, 0x64, 0xf2, 0xf1, 0xb2, 0x0c, 0x2d, 0x7e, 0x9f, 0x51, 0x77, 0xa3, 0xc2, 0x94,
        0xd4, 0x46, 0x22, 0x99 } };
    static const struct credential_policy one_key = { .mode = CREDENTIALS_ACCEPT_ALL,
                                                      .keys = &key, .key_count = 1 };
    load_with_policy(&one_key);
    expect_skipped("signed", signed_app, "ECDSA P-256 signature by no listed key");
    teardown(NULL);
}

static void test_two_apps_with_one_identifier_cannot_both_run(void **state)
{
    (void)state;
    uint32_t first = add_hashed_app("twin", TBF_CREDENTIAL_SHA256);
    uint32_t second = add_hashed_app("twin", TBF_CREDENTIAL_SHA512);
    (void)add_hashed_app("other", 0);
    (void)add_hashed_app("other", 0); /* unvouched twins: told apart by address */
    static const struct credential_policy demo = { .mode = CREDENTIALS_ACCEPT_ALL };
    load_with_policy(&demo);
    expect_line("[kernel] load: app \"twin\" at 0x%08x: skipped: application identifier "
                "already used by the app at 0x%08x",
                (unsigned)app_addr(second), (unsigned)app_addr(first));
    expect_line("[kernel] load: 3 of 4 apps running");
    assert_int_not_equal(procs[1].identity.short_id, procs[2].identity.short_id);
}

static void test_short_id_depends_on_the_credential_not_the_order(void **state)
{
    (void)state;
    (void)add_hashed_app("stable", TBF_CREDENTIAL_SHA256);
    static const struct credential_policy demo = { .mode = CREDENTIALS_ACCEPT_ALL };
    load_with_policy(&demo);
    uint32_t short_id = procs[0].identity.short_id;
    assert_int_not_equal(short_id, 0);
    teardown(NULL);
    setup(NULL);
    (void)add_hashed_app("first", 0);
    (void)add_hashed_app("stable", TBF_CREDENTIAL_SHA512); /* another place, another hash */
    load_with_policy(&demo);
    assert_string_equal(procs[1].name, "stable");
    assert_int_equal(procs[1].identity.short_id, short_id);
}

static void test_storage_permissions_follow_the_identity_when_asked(void **state)
{
    (void)state;
    (void)add_hashed_app("keeper", TBF_CREDENTIAL_SHA256);
    static const struct credential_policy tlv_only = { .mode = CREDENTIALS_ACCEPT_ALL };
    load_with_policy(&tlv_only);
    assert_false(procs[0].storage_permissions.is_present); /* no TLV 7 */
    teardown(NULL);
    setup(NULL);
    (void)add_hashed_app("keeper", TBF_CREDENTIAL_SHA256);
    static const struct credential_policy by_identity = { .mode = CREDENTIALS_ACCEPT_ALL,
                                                          .storage_from_identity = true };
    load_with_policy(&by_identity);
    const struct storage_permissions *perms = &procs[0].storage_permissions;
    uint32_t id = procs[0].identity.short_id;
    assert_true(perms->is_present);
    assert_int_equal(perms->write_id, id);
    assert_true(storage_permissions_can_read(perms, id));
    assert_true(storage_permissions_can_modify(perms, id));
    assert_false(storage_permissions_can_read(perms, id + 1));
}

/* Runtime loading (kernel_app_list_end, kernel_check_app, kernel_load_app; record 028). */

/* An app written past the list end, as the app loader writes it: invisible to the walk. */
static uint32_t add_app_past_the_list(const struct app_spec *spec, uint32_t gap)
{
    flash_used += gap;
    return add_app(spec);
}

static void test_runtime_load_appends_without_touching_running_apps(void **state)
{
    (void)state;
    (void)add_app(&(struct app_spec){ .name = "alpha", .min_ram = 0x400 });
    (void)add_app(&(struct app_spec){ .name = "beta", .min_ram = 0x300 });
    kernel_load_processes(&k);
    drain_debug();
    uintptr_t end = 0;
    assert_int_equal(kernel_app_list_end(&k, &end), ERR_OK);
    assert_int_equal(end, app_addr(2 * APP_SIZE));
    uint32_t gap = 0x200;
    uint32_t c = add_app_past_the_list(&(struct app_spec){ .name = "gamma", .min_ram = 0x200 },
                                       gap);
    /* Written but not linked: the walk still ends where it did. */
    assert_int_equal(kernel_app_list_end(&k, &end), ERR_OK);
    assert_int_equal(end, app_addr(2 * APP_SIZE));
    char reason[KERNEL_REASON_LEN];
    assert_null(kernel_check_app(&k, app_addr(c), APP_SIZE, reason));
    /* The commit: one padding object over the gap links it. */
    app_load_padding_header(flash + 2 * APP_SIZE, gap);
    assert_int_equal(kernel_app_list_end(&k, &end), ERR_OK);
    assert_int_equal(end, app_addr(c + APP_SIZE));
    struct process before[2];
    memcpy(before, procs, sizeof before);
    assert_null(kernel_load_app(&k, app_addr(c), APP_SIZE, reason));
    capture_debug();
    assert_memory_equal(before, procs, sizeof before); /* the running apps are untouched */
    expect_loaded(2, "gamma", c, (uintptr_t)ram + 0x700, 0x200);
    assert_int_equal(k.slot_limit, 3);
    expect_line("[kernel] load: app \"gamma\" at 0x%08x: loaded (flash 0x%08x-0x%08x, "
                "RAM 0x%08x-0x%08x)", (unsigned)app_addr(c), (unsigned)app_addr(c),
                (unsigned)app_addr(c + APP_SIZE), (unsigned)(uintptr_t)ram + 0x700,
                (unsigned)(uintptr_t)ram + 0x900);
    /* A reboot's walk finds the same three apps, padding silent. */
    init_kernel(SLOTS, 0);
    kernel_load_processes(&k);
    capture_debug();
    expect_line("[kernel] load: 3 of 3 apps running");
}

/* kernel_check_app and kernel_load_app refuse `why` and change nothing. */
static void expect_refused(uintptr_t addr, uint32_t size, const char *why)
{
    struct process before[SLOTS];
    memcpy(before, procs, sizeof before);
    uint32_t limit = k.slot_limit;
    char reason[KERNEL_REASON_LEN];
    const char *checked = kernel_check_app(&k, addr, size, reason);
    assert_non_null(checked);
    assert_string_equal(checked, why);
    const char *loaded = kernel_load_app(&k, addr, size, reason);
    assert_non_null(loaded);
    assert_string_equal(loaded, why);
    assert_memory_equal(before, procs, sizeof before);
    assert_int_equal(k.slot_limit, limit);
}

static void test_runtime_load_refuses_bad_images_and_changes_nothing(void **state)
{
    (void)state;
    init_kernel(2, 0);
    (void)add_app(&(struct app_spec){ .name = "alpha" });
    kernel_load_processes(&k);
    drain_debug();
    uint32_t bad = add_app_past_the_list(&(struct app_spec){ .name = "bad", .bad_checksum = true },
                                         0x100);
    expect_refused(app_addr(bad), APP_SIZE, "header checksum mismatch");
    uint32_t ok = add_app(&(struct app_spec){ .name = "ok" });
    expect_refused(app_addr(ok), 2 * APP_SIZE, "total size 1024, but 2048 bytes loaded");
    expect_refused(app_addr(ok), 0x20, "total size 1024, but 32 bytes loaded");
    expect_refused(app_addr(ok) + 4, APP_SIZE, "unknown TBF version");
    expect_refused(app_addr(flash_used), APP_SIZE, "no header");
    expect_refused(app_addr(FLASH_SIZE - 0x10), 0x20, "outside app flash");
    expect_refused(app_addr(0) - 0x400, APP_SIZE, "outside app flash");
    uint32_t pad = add_app(&(struct app_spec){ .name = "pad", .padding = true });
    expect_refused(app_addr(pad), APP_SIZE, "a padding object, not an app");
    uint32_t off = add_app(&(struct app_spec){ .name = "off", .disabled = true });
    expect_refused(app_addr(off), APP_SIZE, "disabled");
    uint32_t tampered = add_hashed_app("tampered", TBF_CREDENTIAL_SHA256);
    flash[tampered + 0x100] ^= 1;
    expect_refused(app_addr(tampered), APP_SIZE, "SHA-256 credential does not match the image");
    /* A good app with no slot left: refused by the load, not by the check. */
    struct process before[2];
    char reason[KERNEL_REASON_LEN];
    assert_null(kernel_check_app(&k, app_addr(ok), APP_SIZE, reason));
    assert_null(kernel_load_app(&k, app_addr(ok), APP_SIZE, reason));
    memcpy(before, procs, sizeof before);
    uint32_t another = add_app(&(struct app_spec){ .name = "another" });
    const char *why = kernel_load_app(&k, app_addr(another), APP_SIZE, reason);
    assert_non_null(why);
    assert_string_equal(why, "no free process slot (2 of 2)");
    assert_memory_equal(before, procs, sizeof before);
}

static void test_runtime_load_needs_ram_above_every_process(void **state)
{
    (void)state;
    (void)add_app(&(struct app_spec){ .name = "big", .min_ram = RAM_SIZE - 0x100 });
    kernel_load_processes(&k);
    drain_debug();
    uint32_t c = add_app_past_the_list(&(struct app_spec){ .name = "more", .min_ram = 0x200 },
                                       0x100);
    char reason[KERNEL_REASON_LEN];
    struct process before = procs[0];
    const char *why = kernel_load_app(&k, app_addr(c), APP_SIZE, reason);
    assert_non_null(why);
    assert_string_equal(why, "needs 512 bytes of RAM, 256 left");
    assert_memory_equal(&before, &procs[0], sizeof before);
    assert_int_equal(procs[1].state, PROCESS_EMPTY);
    assert_int_equal(k.slot_limit, 1);
}

static void test_list_end_is_refused_when_the_walk_stops_early(void **state)
{
    (void)state;
    (void)add_app(&(struct app_spec){ .name = "alpha" });
    uint32_t broken = add_app(&(struct app_spec){ .name = "broken" });
    flash[broken + 4] = 0xFF; /* total_size past the end of app flash */
    flash[broken + 5] = 0xFF;
    flash[broken + 6] = 0xFF;
    uintptr_t end = 0x1234;
    assert_int_equal(kernel_app_list_end(&k, &end), ERR_FAIL);
    assert_int_equal(end, 0x1234);
    /* A list that fills app flash ends at its end. */
    memset(flash, 0, FLASH_SIZE);
    flash_used = 0;
    for (uint32_t i = 0; i < FLASH_SIZE / APP_SIZE; i++) {
        (void)add_app(&(struct app_spec){ .name = "fill", .padding = true });
    }
    assert_int_equal(kernel_app_list_end(&k, &end), ERR_OK);
    assert_int_equal(end, app_addr(FLASH_SIZE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_valid_apps_load_into_consecutive_slots_and_ram),
        T(test_ram_headroom_is_added_to_the_tbf_minimum),
        T(test_bad_apps_are_skipped_with_reason_and_others_still_load),
        T(test_matching_fixed_flash_address_loads),
        T(test_fixed_ram_address_skips_forward_but_never_back),
        T(test_flash_the_mpu_cannot_cover_is_skipped),
        T(test_fixed_ram_address_at_the_end_of_app_ram_is_refused),
        T(test_apps_beyond_the_slots_are_named_with_the_slot_count),
        T(test_ram_shortage_names_what_the_mpu_needs_and_what_is_left),
        T(test_ram_request_beyond_32_bits_is_a_shortage_with_numbers),
        T(test_nameless_app_is_shown_as_a_dash),
        T(test_list_ends_at_erased_or_short_objects),
        T(test_total_size_zero_stops_the_walk_instead_of_looping),
        T(test_total_size_below_the_base_header_stops_the_walk),
        T(test_total_size_past_the_end_of_app_flash_stops_the_walk),
        T(test_huge_total_size_stops_the_walk),
        T(test_unknown_versions_stop_the_walk),
        T(test_unwalkable_first_object_reports_zero_apps),
        T(test_empty_app_flash_reports_zero_apps),
        T(test_unusable_header_size_is_skipped_by_total_size),
        T(test_writeable_regions_outside_the_image_are_refused),
        T(test_writeable_region_bounds_are_inclusive_of_the_image),
        T(test_unaligned_fixed_ram_address_has_its_own_reason),
        T(test_demo_policy_checks_the_hashes_apps_carry),
        T(test_each_hash_detects_a_changed_header_byte),
        T(test_require_hash_refuses_apps_without_a_matching_one),
        T(test_require_signature_refuses_a_hash_alone),
        T(test_a_signature_by_no_listed_key_is_refused),
        T(test_two_apps_with_one_identifier_cannot_both_run),
        T(test_short_id_depends_on_the_credential_not_the_order),
        T(test_storage_permissions_follow_the_identity_when_asked),
        T(test_runtime_load_appends_without_touching_running_apps),
        T(test_runtime_load_refuses_bad_images_and_changes_nothing),
        T(test_runtime_load_needs_ram_above_every_process),
        T(test_list_end_is_refused_when_the_walk_stops_early),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
