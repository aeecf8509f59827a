/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * libFuzzer harness for the process loader's walk over app flash (kernel/process_loader.c,
 * libraries/tbf.c, process_start in kernel/process.c) with the fake arch of the host tests.
 *
 * Input: LAYOUT_BYTES of layout parameters, then the app flash image.
 *   byte 0: process slots, 1..MAX_SLOTS
 *   byte 1: fake MPU: RAM alignment 1 << (b & 7), break granularity 1 << (b >> 4 & 7),
 *           bit 3: the MPU refuses every flash placement
 *   byte 2: initial app break, 16 * b bytes
 *   byte 3: RAM pool size, 256 * (b + 1) bytes
 *   byte 4: RAM pool start, RAM_BASE + b (any alignment)
 *   byte 5: trailing zero bytes after the image (so the flash start's alignment varies)
 *   byte 6: RAM headroom, 16 * b bytes
 * App flash is [FLASH_END - image - trailing, FLASH_END): it ends at a PROT_NONE guard page and
 * is read-only while the loader runs, so a read past the region faults and any write faults.
 * The RAM pool is surrounded by canary bytes that are ASan-poisoned (where the 8-byte shadow
 * granule allows) and compared afterwards. Fixed addresses: flash ends at FLASH_END and RAM
 * starts at RAM_BASE + byte 4 when the mappings land where asked (MAP_FIXED_NOREPLACE), so a
 * seed can carry Fixed Addresses TLVs that match.
 *
 * Checked after kernel_load_processes, abort() on violation:
 *   loaded processes fill slots 0..n-1 (Yielded, entry call queued), the rest are Empty;
 *   each loaded process's flash lies in the app flash region, in discovery order, disjoint;
 *   its header re-parses as TBF_OK at flash_start with the same total size, protected size,
 *   entry point (inside the binary) and package name (inside its header);
 *   its RAM lies in [app_ram_start, app_ram_end), in order, disjoint, at least the initial break;
 *   every Writeable Flash Region lies in its own image after the protected region, and so
 *   does every credential footer (tbf_footer_next) after the binary;
 *   the flash image is unchanged and no byte outside the RAM pool was written;
 *   the console (when the 8 KiB debug ring held all of it) has only loader lines: one verdict
 *   per app, "loaded" exactly for the n loaded, at most one stop line, and last
 *   "n of <verdicts> apps running".
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "arch/fake_arch.h"
#include "arch/fake_chip.h"
#include "kernel/debug.h"
#include "kernel/deferred_call.h"
#include "kernel/kernel.h"
#include "tbf.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LOADER_FUZZ_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define LOADER_FUZZ_ASAN 1
#endif
#ifdef LOADER_FUZZ_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(addr, len) ASAN_POISON_MEMORY_REGION((addr), (len))
#define UNPOISON(addr, len) ASAN_UNPOISON_MEMORY_REGION((addr), (len))
#else
#define POISON(addr, len) ((void)(addr), (void)(len))
#define UNPOISON(addr, len) ((void)(addr), (void)(len))
#endif

#define PAGE 4096u
#define LAYOUT_BYTES 7u
#define MAX_SLOTS 8u
#define FLASH_MAX (64u * 1024u)       /* image + trailing bytes */
#define FLASH_MAP_BASE 0x10000000u     /* guard page, flash pages, guard page */
#define FLASH_END (FLASH_MAP_BASE + PAGE + FLASH_MAX)
#define RAM_MAX (64u * 1024u + 256u)   /* pool offset (< 256) + pool size (<= 64 KiB) */
#define RAM_MAP_BASE 0x20000000u
#define RAM_BASE (RAM_MAP_BASE + PAGE) /* canaries from here to the pool, and after it */
#define RAM_CANARY 0x5Au

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t *flash_map; /* guard page, FLASH_MAX bytes, guard page */
static uint8_t *flash_end;
static uint8_t *ram_map;   /* guard page, RAM_MAX rounded up to pages, guard page */
static size_t ram_map_len;
static uint8_t *ram_area;  /* ram_map + PAGE: the canary-surrounded pool */
static size_t ram_area_len;
static struct process procs[MAX_SLOTS];
static struct kernel kernel;

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "loader_fuzz: invariant violated: %s\n", what);
        abort();
    }
}

/* A mapping below 4 GiB (the kernel's process addresses are 32-bit), at `want` if free. */
static uint8_t *map_low(uintptr_t want, size_t len)
{
    void *mem = mmap((void *)want, len, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (mem == MAP_FAILED || (uintptr_t)mem != want) {
        if (mem != MAP_FAILED) {
            munmap(mem, len);
        }
        mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
                   -1, 0);
    }
    check(mem != MAP_FAILED && (uintptr_t)mem + len <= 0xFFFFFFFFu, "map below 4 GiB");
    return mem;
}

static void map_once(void)
{
    if (flash_map != NULL) {
        return;
    }
    flash_map = map_low(FLASH_MAP_BASE, FLASH_MAX + 2u * PAGE);
    check(mprotect(flash_map, PAGE, PROT_NONE) == 0, "flash guard before");
    check(mprotect(flash_map + PAGE + FLASH_MAX, PAGE, PROT_NONE) == 0, "flash guard after");
    flash_end = flash_map + PAGE + FLASH_MAX;
    ram_area_len = (RAM_MAX + PAGE - 1u) / PAGE * PAGE;
    ram_map_len = ram_area_len + 2u * PAGE;
    ram_map = map_low(RAM_MAP_BASE, ram_map_len);
    check(mprotect(ram_map, PAGE, PROT_NONE) == 0, "ram guard before");
    check(mprotect(ram_map + PAGE + ram_area_len, PAGE, PROT_NONE) == 0, "ram guard after");
    ram_area = ram_map + PAGE;
}

static char console[8192 + 1]; /* the kernel's debug ring holds at most 8192 bytes */

/* Take the kernel's console lines into `console`; returns false when some were dropped (the
 * ring was full). LOADER_FUZZ_VERBOSE=1 copies them to stderr (to see what a seed or a crash
 * input does). */
static bool drain_debug(void)
{
    static int verbose = -1;
    if (verbose < 0) {
        verbose = getenv("LOADER_FUZZ_VERBOSE") != NULL;
    }
    size_t len = 0;
    uint8_t buf[256];
    size_t n;
    while ((n = debug_take(buf, sizeof buf)) != 0) {
        if (verbose) {
            fwrite(buf, 1, n, stderr);
        }
        size_t keep = n < sizeof console - 1 - len ? n : sizeof console - 1 - len;
        memcpy(console + len, buf, keep);
        len += keep;
    }
    console[len] = '\0';
    return debug_take_dropped() == 0 && len < sizeof console - 1;
}

/* What a console line is: 'L' a loaded verdict, 'S' a skipped one, 'T' the stop line, 'C' the
 * count, 0 anything else. Names are quoted and hold no quote (the loader turns one into '?'),
 * so a name cannot pass for the words after it. */
static char classify(const char *line)
{
    static const char prefix[] = "[kernel] load: ";
    if (strncmp(line, prefix, sizeof prefix - 1) != 0) {
        return 0;
    }
    const char *at = line + sizeof prefix - 1;
    if (strncmp(at, "stop at 0x", 10) == 0) {
        return 'T';
    }
    if (strncmp(at, "app ", 4) != 0) {
        return at[0] >= '0' && at[0] <= '9' ? 'C' : 0;
    }
    at += 4;
    if (*at == '"') {
        const char *close = strchr(at + 1, '"');
        if (close == NULL || close[1] != ' ') {
            return 0;
        }
        at = close + 2;
    }
    if (strncmp(at, "at 0x", 5) != 0 || strlen(at) < 13) {
        return 0;
    }
    at += 13; /* "at 0x" and 8 hex digits */
    if (strncmp(at, ": loaded (flash ", 16) == 0) {
        return 'L';
    }
    return strncmp(at, ": skipped: ", 11) == 0 ? 'S' : 0;
}

/* The loader's report: only its own lines, a verdict per app, and the count last. */
static void check_console(uint32_t loaded)
{
    uint32_t counts[4] = { 0 }; /* L, S, T, C */
    const char *last = NULL;
    char *save = NULL;
    for (char *line = strtok_r(console, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        const char *kind = strchr("LSTC", classify(line));
        check(kind != NULL && *kind != '\0', "every console line is a loader line");
        check(counts[3] == 0, "the count is the last line");
        counts[kind - "LSTC"]++;
        last = line;
    }
    check(counts[0] == loaded, "a loaded line per loaded process");
    check(counts[2] <= 1, "at most one stop line");
    check(counts[3] == 1, "one count line");
    char want[64];
    snprintf(want, sizeof want, "[kernel] load: %u of %u apps running", (unsigned)loaded,
             (unsigned)(counts[0] + counts[1]));
    check(strcmp(last, want) == 0, "the count matches the verdicts");
}

/* [a, a + alen) inside [lo, hi), in 64 bits. */
static bool within(uint64_t a, uint64_t alen, uint64_t lo, uint64_t hi)
{
    return a >= lo && a <= hi && alen <= hi - a;
}

static void check_process(const struct process *p, uint32_t slot, uintptr_t flash_lo,
                          uintptr_t flash_hi, uintptr_t ram_lo, uintptr_t ram_hi)
{
    check(p->state == PROCESS_YIELDED, "a loaded process is Yielded");
    check(p->pid.index == slot, "pid index is the slot");
    check(p->queue.count == 1 && p->queue.tasks[0].driver_num == UPCALL_DRIVER_KERNEL,
          "the entry call is queued");
    check(within(p->flash_start, p->flash_size, flash_lo, flash_hi),
          "process flash inside the app flash region");
    check(within(p->mem_start, p->mem_size, ram_lo, ram_hi), "process RAM inside the app RAM pool");
    check(p->mem_size >= fake_arch.initial_app_brk, "RAM holds the initial break");
    check(p->app_brk >= p->mem_start && p->app_brk <= p->kernel_brk &&
              p->kernel_brk <= p->mem_start + p->mem_size,
          "mem_start <= app_brk <= kernel_brk <= RAM end");
    check(p->mpu.flash_start == p->flash_start && p->mpu.flash_size == p->flash_size,
          "the MPU covers exactly the image");
    /* Re-parse: the kernel's view agrees with the header at flash_start. */
    const uint8_t *at = (const uint8_t *)p->flash_start;
    struct tbf_lengths len;
    check(tbf_parse_lengths(at, flash_hi - p->flash_start, &len) == TBF_OK, "lengths re-parse");
    struct tbf_header h;
    check(tbf_parse_header(at, len.header_size, &h) == TBF_OK, "header re-parses as an app");
    check((h.flags & TBF_FLAG_ENABLED) != 0, "a loaded app is enabled");
    check(h.total_size == p->flash_size, "flash size is total_size");
    check(p->protected_size == (uint32_t)h.header_size + h.protected_trailer_size &&
              p->protected_size <= p->flash_size,
          "protected size is header + trailer, inside the image");
    check(p->entry_point >= p->flash_start + h.header_size &&
              p->entry_point < p->flash_start + h.binary_end_offset,
          "entry point inside the binary");
    check(p->package_name_len == 0 ||
              within((uintptr_t)p->package_name, p->package_name_len, p->flash_start,
                     p->flash_start + h.header_size),
          "package name inside the header");
    check(strlen(p->name) >= 1 && strlen(p->name) <= PROCESS_NAME_MAX, "name printable length");
    for (const char *c = p->name; *c != '\0'; c++) {
        check(*c >= 0x20 && *c < 0x7F, "name printable");
    }
    check(p->writeable_region_count <= PROCESS_MAX_WRITEABLE_REGIONS, "region count bounded");
    for (uint32_t i = 0; i < p->writeable_region_count; i++) {
        uint64_t off = p->writeable_regions[i][0];
        uint64_t len64 = p->writeable_regions[i][1];
        check(off >= p->protected_size && off + len64 <= p->flash_size,
              "writeable region inside the owner's image after the protected region");
    }
    /* Its credential footers, walked as a process checker would, stay inside its image. */
    struct tbf_footer_iter it;
    struct tbf_footer f;
    uint32_t footers = 0;
    tbf_footers_begin(&it, at, &h);
    while (tbf_footer_next(&it, &f) == TBF_OK) {
        check(f.offset >= h.binary_end_offset &&
                  within((uintptr_t)f.data, f.data_len, p->flash_start,
                         p->flash_start + p->flash_size),
              "credential footer inside the image after the binary");
        footers++;
        check(footers <= p->flash_size / 8u, "the footer walk ends");
    }
    check(p->storage_permissions.read_count <= STORAGE_PERMISSIONS_MAX_IDS &&
              p->storage_permissions.modify_count <= STORAGE_PERMISSIONS_MAX_IDS,
          "storage id counts bounded");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    map_once();
    if (size < LAYOUT_BYTES) {
        return 0;
    }
    uint32_t slots = 1u + data[0] % MAX_SLOTS;
    uint32_t ram_align = 1u << (data[1] & 7u);
    uint32_t granularity = 1u << ((data[1] >> 4) & 7u);
    uint32_t initial_brk = 16u * data[2];
    uint32_t ram_size = 256u * ((uint32_t)data[3] + 1u);
    uint32_t ram_offset = data[4];
    size_t trailing = data[5];
    uint32_t headroom = 16u * data[6];
    const uint8_t *image = data + LAYOUT_BYTES;
    size_t image_len = size - LAYOUT_BYTES;
    if (image_len + trailing > FLASH_MAX) {
        return 0;
    }
    size_t flash_len = image_len + trailing;
    uint8_t *flash_start = flash_end - flash_len;

    /* Flash: the image then zero bytes (version 0 ends the list), read-only while loading. */
    check(mprotect(flash_map + PAGE, FLASH_MAX, PROT_READ | PROT_WRITE) == 0, "flash writable");
    memcpy(flash_start, image, image_len);
    memset(flash_start + image_len, 0, trailing);
    check(mprotect(flash_map + PAGE, FLASH_MAX, PROT_READ) == 0, "flash read-only");

    /* RAM: garbage in the pool, canaries around it (poisoned for ASan). */
    uint8_t *ram_start = ram_area + ram_offset;
    uint8_t *ram_end = ram_start + ram_size;
    UNPOISON(ram_area, ram_area_len);
    memset(ram_area, RAM_CANARY, ram_area_len);
    memset(ram_start, 0xA5, ram_size);
    POISON(ram_area, ram_offset);
    POISON(ram_end, (size_t)(ram_area + ram_area_len - ram_end));

    fake_arch_reset();
    fake_arch.ram_align = ram_align;
    fake_arch.mpu_granularity = granularity;
    fake_arch.initial_app_brk = initial_brk;
    fake_arch.flash_reject = (data[1] & 8u) != 0;
    fake_chip_reset();
    deferred_call_reset_for_test();
    (void)drain_debug();
    /* Garbage, as a .noinit table holds after a warm reset: the loader must write every slot it
     * owns (fill or empty it) and touch none past process_count. */
    memset(procs, 0xEE, sizeof procs);
    struct kernel_config config = {
        .processes = procs,
        .process_count = slots,
        .drivers = NULL,
        .driver_count = 0,
        .chip = &fake_chip,
        .app_flash_start = (uintptr_t)flash_start,
        .app_flash_end = (uintptr_t)flash_end,
        .app_ram_start = (uintptr_t)ram_start,
        .app_ram_end = (uintptr_t)ram_end,
        .fault_policy = { .action = PROCESS_FAULT_STOP },
        .ram_headroom = headroom,
    };
    kernel_init(&kernel, &config);
    kernel_load_processes(&kernel);
    bool complete = drain_debug();
    check(kernel.processes_loaded, "processes_loaded set");
    UNPOISON(ram_area, ram_area_len);

    uint32_t loaded = 0;
    while (loaded < slots && procs[loaded].state != PROCESS_EMPTY) {
        loaded++;
    }
    for (uint32_t i = loaded; i < slots; i++) {
        check(procs[i].state == PROCESS_EMPTY, "loaded processes fill the first slots");
    }
    for (uint32_t i = slots; i < MAX_SLOTS; i++) {
        const uint8_t *raw = (const uint8_t *)&procs[i];
        for (size_t b = 0; b < sizeof procs[i]; b++) {
            check(raw[b] == 0xEE, "slots past process_count are never touched");
        }
    }
    uintptr_t flash_cursor = (uintptr_t)flash_start;
    uintptr_t ram_cursor = (uintptr_t)ram_start;
    for (uint32_t i = 0; i < loaded; i++) {
        const struct process *p = &procs[i];
        check_process(p, i, (uintptr_t)flash_start, (uintptr_t)flash_end, (uintptr_t)ram_start,
                      (uintptr_t)ram_end);
        check(p->flash_start >= flash_cursor, "flash images in order and disjoint");
        check(p->mem_start >= ram_cursor, "RAM regions in order and disjoint");
        flash_cursor = p->flash_start + p->flash_size;
        ram_cursor = p->mem_start + p->mem_size;
    }
    if (complete) {
        check_console(loaded);
    }
    check(memcmp(flash_start, image, image_len) == 0, "the loader never writes flash");
    for (const uint8_t *c = ram_area; c < ram_start; c++) {
        check(*c == RAM_CANARY, "nothing written below the RAM pool");
    }
    for (const uint8_t *c = ram_end; c < ram_area + ram_area_len; c++) {
        check(*c == RAM_CANARY, "nothing written above the RAM pool");
    }
    return 0;
}
