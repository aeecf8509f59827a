/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Process loading: walk the TBF list in app flash, check each header, allocate RAM and MPU
 * regions, and start every valid app. Nothing an image contains can stop the kernel or the
 * other apps, and nothing it contains goes unreported: the walk prints one verdict line per
 * app it finds (padding objects are not apps and stay silent), a stop line when a header
 * makes the rest of app flash unwalkable, and a closing count:
 *
 *     [kernel] load: app "<name>" at 0x<tbf>: loaded (flash 0x<a>-0x<b>, RAM 0x<c>-0x<d>)
 *     [kernel] load: app "<name>" at 0x<tbf>: skipped: <reason, with the numbers that matter>
 *     [kernel] load: app at 0x<tbf>: skipped: <reason>        (header unreadable: no name)
 *     [kernel] load: stop at 0x<tbf>: <reason> <value>; <n> bytes of app flash not walked
 *     [kernel] load: <running> of <found> apps running
 *
 * Ranges are [start-end), end exclusive. doc/reference/019-tock-abi.md §3.7.1 lists every
 * reason. After the placement checks come the board's credential policy and the identity
 * checks (kernel/credentials.h, doc/reference/025-app-credentials.md); a core kernel's
 * kernel/credentials_none.c accepts every app there.
 *
 * Invariants: processes take slots in discovery order and a failed load takes no slot; RAM is
 * handed out upward from app_ram_start; a process never gets RAM below the cursor, nor past
 * app_ram_end (the MPU picks the block with no upper bound and the loader checks its end); every
 * Writeable Flash Region of a loaded process lies inside its own image after the protected
 * region (process_in_writeable_flash and memop 8/9 rely on this and check nothing more); the
 * walk visits every object up to the first header it cannot step over, slots full or not.
 */
#include "format.h"
#include "kernel/arch.h"
#include "kernel/credentials.h"
#include "kernel/debug.h"
#include "kernel/fault_policy.h"
#include "kernel/kernel.h"
#include "tbf.h"

#include <stddef.h>
#include <stdint.h>

/* A reason that carries numbers, formatted by the check that found it (the longest, the RAM
 * shortage with a 64-bit request, is under 64 characters). */
struct reason {
    char text[CREDENTIALS_REASON_LEN];
};

/* The walk so far: `running` apps hold slots 0..running-1; `found` counts every app header met
 * (loaded or skipped; padding excluded). */
struct load_walk {
    uintptr_t ram_cursor;
    uint32_t found;
    uint32_t running;
};

/* Copy at most PROCESS_NAME_MAX printable bytes of the package name for diagnostics ("-" when
 * there is none). */
static void copy_name(char name[PROCESS_NAME_MAX + 1], const struct tbf_header *hdr)
{
    uint32_t n = hdr->package_name_len < PROCESS_NAME_MAX ? hdr->package_name_len
                                                           : PROCESS_NAME_MAX;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t c = hdr->package_name[i];
        name[i] = (c >= 0x20 && c < 0x7F && c != '"') ? (char)c : '?';
    }
    if (n == 0) {
        name[n++] = '-';
    }
    name[n] = '\0';
}

_Static_assert(TBF_MAX_STORAGE_IDS == STORAGE_PERMISSIONS_MAX_IDS,
               "the TBF parser and struct process keep the same number of storage ids");

/* The Storage Permissions TLV (7), for storage drivers' access checks. `out` is all zero
 * (create_process cleared the slot): without the TLV it stays so. */
static void copy_storage_permissions(struct storage_permissions *out,
                                     const struct tbf_header *hdr)
{
    if (!hdr->has_storage_permissions) {
        return;
    }
    out->is_present = true;
    out->write_id = hdr->storage_write_id;
    out->read_count = hdr->storage_read_count;
    out->modify_count = hdr->storage_modify_count;
    for (uint32_t i = 0; i < STORAGE_PERMISSIONS_MAX_IDS; i++) {
        out->read_ids[i] = i < hdr->storage_read_count ? hdr->storage_read_ids[i] : 0;
        out->modify_ids[i] = i < hdr->storage_modify_count ? hdr->storage_modify_ids[i] : 0;
    }
}

/* The checks that need no slot: NULL when the app may run here, else why not. */
static const char *check_placement(const struct tbf_header *hdr, uintptr_t flash)
{
    if ((hdr->flags & TBF_FLAG_ENABLED) == 0) {
        return "disabled";
    }
    if (!hdr->has_kernel_version) {
        return "no kernel version TLV";
    }
    if (!tbf_kernel_version_ok(hdr, KERNEL_VERSION_MAJOR, KERNEL_VERSION_MINOR)) {
        return "needs an incompatible kernel version";
    }
    if (hdr->fixed_flash_address != TBF_NO_FIXED_ADDRESS &&
        hdr->fixed_flash_address != flash + hdr->header_size + hdr->protected_trailer_size) {
        return "linked for a different flash address";
    }
    if (!tbf_writeable_regions_ok(hdr)) {
        return "writeable flash region outside the app's own image";
    }
    return NULL;
}

/* Set up slot p for the app at `flash`; returns NULL or the reason it cannot run. */
static const char *create_process(struct kernel *k, struct process *p, uint32_t index,
                                  const struct tbf_header *hdr, uintptr_t flash,
                                  uintptr_t *ram_cursor, struct reason *r)
{
    *p = (struct process){ .state = PROCESS_EMPTY };
    k->mpu_loaded = NULL; /* the slot's configuration starts again at generation 0 */
    p->pid.index = index;
    p->flash_start = flash;
    p->flash_size = hdr->total_size;
    p->protected_size = hdr->header_size + hdr->protected_trailer_size;
    p->entry_point = flash + hdr->header_size + hdr->init_fn_offset;
    p->package_name = hdr->package_name;
    p->package_name_len = hdr->package_name_len;
    p->writeable_region_count = hdr->writeable_region_count;
    for (uint32_t i = 0; i < hdr->writeable_region_count; i++) {
        p->writeable_regions[i][0] = hdr->writeable_regions[i].offset;
        p->writeable_regions[i][1] = hdr->writeable_regions[i].size;
    }
    copy_storage_permissions(&p->storage_permissions, hdr);
    copy_name(p->name, hdr);
    p->fault_policy = fault_policy_for(&k->config, p->name);
    if (arch_mpu_set_flash(&p->mpu, flash, hdr->total_size) != ERR_OK) {
        return "flash placement the MPU cannot cover";
    }
    uint32_t initial = arch_initial_app_brk_size();
    uint32_t min_size = hdr->minimum_ram_size;
    if (min_size < initial) {
        min_size = initial;
    }
    /* The MPU chooses the block as if app RAM had no end (alignment and rounding its own); the
     * loader checks the end, so a shortage can say exactly how many bytes the block needs. */
    uintptr_t free_end = k->config.app_ram_end;
    struct arch_ram_request req = {
        .free_start = *ram_cursor,
        .free_end = UINTPTR_MAX,
        .fixed_start = 0,
        .min_size = 0,
        .initial_app_size = initial,
    };
    uint64_t request = (uint64_t)min_size + k->config.ram_headroom;
    uintptr_t mem_start = 0;
    uint32_t mem_size = 0;
    err_t err = ERR_NOMEM; /* a request past 32 bits fits nowhere */
    if (request <= UINT32_MAX) {
        req.min_size = (uint32_t)request;
        if (hdr->fixed_ram_address != TBF_NO_FIXED_ADDRESS) {
            if (hdr->fixed_ram_address < *ram_cursor || hdr->fixed_ram_address >= free_end) {
                return "fixed RAM address already taken or outside app RAM";
            }
            req.fixed_start = hdr->fixed_ram_address;
            req.free_start = hdr->fixed_ram_address;
        }
        err = arch_mpu_allocate_ram(&p->mpu, &req, &mem_start, &mem_size);
        if (err == ERR_INVAL && req.fixed_start != 0) {
            /* Both MPUs answer INVAL only when a fixed start is not one they can place RAM at. */
            return "fixed RAM address not aligned as the MPU requires";
        }
    }
    /* On ERR_OK the block starts at or above req.free_start (the MPU only rounds up); the
     * free range never ends below its start (the cursor stays inside app RAM). */
    uint64_t block_end = (uint64_t)mem_start + mem_size;
    if (err != ERR_OK || block_end > free_end) {
        format_to_buffer(r->text, sizeof r->text, "needs %llu bytes of RAM, %u left",
                         (unsigned long long)(err == ERR_OK ? block_end - req.free_start
                                                            : request),
                         (unsigned)(free_end - req.free_start));
        return r->text;
    }
    p->mem_start = mem_start;
    p->mem_size = mem_size;
    if (process_start(k, p) != ERR_OK) {
        p->state = PROCESS_EMPTY;
        return "initial memory cannot be mapped";
    }
    *ram_cursor = mem_start + mem_size;
    return NULL;
}

/* name NULL: the header could not be read, so nothing from it, not even its name, is shown. */
static void say_skipped(const char *name, uintptr_t flash, const char *why)
{
    bool named = name != NULL;
    debug_printf("[kernel] load: app %s%s%sat 0x%08x: skipped: %s\n", named ? "\"" : "",
                 named ? name : "", named ? "\" " : "", (unsigned)flash, why);
}

static void say_loaded(const struct process *p)
{
    debug_printf("[kernel] load: app \"%s\" at 0x%08x: loaded (flash 0x%08x-0x%08x, "
                 "RAM 0x%08x-0x%08x)\n",
                 p->name, (unsigned)p->flash_start, (unsigned)p->flash_start,
                 (unsigned)(p->flash_start + p->flash_size), (unsigned)p->mem_start,
                 (unsigned)(p->mem_start + p->mem_size));
}

/* A header the walk cannot step over (TBF_ERR_VERSION or TBF_ERR_TOTAL_SIZE): say where, why,
 * with the value at fault, and how much app flash goes unread from there. */
static void say_stop(uintptr_t flash, uintptr_t end, enum tbf_status st,
                     const struct tbf_lengths *lengths)
{
    uint32_t value = st == TBF_ERR_VERSION ? lengths->version : lengths->total_size;
    debug_printf("[kernel] load: stop at 0x%08x: %s %u; %u bytes of app flash not walked\n",
                 (unsigned)flash, tbf_error_reason(st), (unsigned)value,
                 (unsigned)(end - flash));
}

/* One object whose lengths are usable (TBF_OK or TBF_ERR_HEADER_SIZE): print its verdict,
 * unless it is padding, and load it when it can run. */
static void visit(struct kernel *k, struct load_walk *walk, uintptr_t addr,
                  const struct tbf_lengths *lengths, enum tbf_status st)
{
    struct tbf_header hdr;
    if (st == TBF_OK) {
        /* SAFETY: tbf_parse_lengths checked header_size <= total_size <= the bytes left. */
        st = tbf_parse_header((const uint8_t *)addr, lengths->header_size, &hdr);
    }
    if (st == TBF_PADDING) {
        return;
    }
    walk->found++;
    if (st != TBF_OK) {
        say_skipped(NULL, addr, tbf_error_reason(st));
        return;
    }
    char name[PROCESS_NAME_MAX + 1];
    copy_name(name, &hdr);
    struct reason r;
    const char *why = check_placement(&hdr, addr);
    struct app_identity id;
    if (why == NULL) {
        /* SAFETY: the whole object, total_size bytes from addr, is in app flash (lengths). */
        why = credentials_check(k, walk->running, &hdr, (const uint8_t *)addr, &id, r.text);
    }
    uint32_t slots = k->config.process_count;
    if (why == NULL && walk->running == slots) {
        format_to_buffer(r.text, sizeof r.text, "no free process slot (%u of %u)",
                         (unsigned)slots, (unsigned)slots);
        why = r.text;
    }
    if (why == NULL) {
        struct process *p = &k->config.processes[walk->running];
        why = create_process(k, p, walk->running, &hdr, addr, &walk->ram_cursor, &r);
        if (why == NULL) {
            credentials_adopt(k, p, &hdr, &id);
            say_loaded(p);
            walk->running++;
            return;
        }
    }
    say_skipped(name, addr, why);
}

void kernel_load_processes(struct kernel *k)
{
    k->processes_loaded = true;
    uintptr_t addr = k->config.app_flash_start;
    uintptr_t end = k->config.app_flash_end;
    struct load_walk walk = { .ram_cursor = k->config.app_ram_start };
    while (addr < end) {
        /* SAFETY: [addr, end) is the board's app flash region, readable by the kernel. */
        const uint8_t *flash = (const uint8_t *)addr;
        struct tbf_lengths lengths;
        enum tbf_status st = tbf_parse_lengths(flash, end - addr, &lengths);
        if (st == TBF_END) {
            break;
        }
        if (st == TBF_ERR_VERSION || st == TBF_ERR_TOTAL_SIZE) {
            say_stop(addr, end, st, &lengths);
            break;
        }
        visit(k, &walk, addr, &lengths, st);
        addr += lengths.total_size; /* <= end - addr: tbf_parse_lengths checked it */
    }
    debug_printf("[kernel] load: %u of %u apps running\n", (unsigned)walk.running,
                 (unsigned)walk.found);
    for (uint32_t i = walk.running; i < k->config.process_count; i++) {
        if (k->config.processes[i].state != PROCESS_EMPTY) { /* .noinit: a warm reset's leftovers */
            k->config.processes[i] = (struct process){ .state = PROCESS_EMPTY };
        }
    }
}

/* ---------------------------------------------------------------- runtime loading (record 028) */

err_t kernel_app_list_end(const struct kernel *k, uintptr_t *end)
{
    uintptr_t addr = k->config.app_flash_start;
    uintptr_t limit = k->config.app_flash_end;
    while (addr < limit) {
        struct tbf_lengths lengths;
        /* SAFETY: [addr, limit) is the board's app flash region, readable by the kernel. */
        enum tbf_status st = tbf_parse_lengths((const uint8_t *)addr, limit - addr, &lengths);
        if (st == TBF_END) {
            break;
        }
        if (st == TBF_ERR_VERSION || st == TBF_ERR_TOTAL_SIZE) {
            return ERR_FAIL;
        }
        addr += lengths.total_size; /* <= limit - addr: tbf_parse_lengths checked it */
    }
    *end = addr; /* at most limit: every step stays inside it */
    return ERR_OK;
}

_Static_assert(KERNEL_REASON_LEN == CREDENTIALS_REASON_LEN, "one reason buffer for both");

bool kernel_app_flash_fits(void *unused, uintptr_t addr, uint32_t size)
{
    (void)unused;
    struct arch_mpu scratch = { 0 };
    return arch_mpu_set_flash(&scratch, addr, size) == ERR_OK;
}

/* The checks of the walk for the object of exactly `size` bytes at addr, which is not (yet) in
 * the list: an app, not padding, that may run here under the board's credential policy. */
static const char *check_new_app(struct kernel *k, uintptr_t addr, uint32_t size,
                                 struct tbf_header *hdr, struct app_identity *id,
                                 char reason[CREDENTIALS_REASON_LEN])
{
    if (addr < k->config.app_flash_start || addr >= k->config.app_flash_end ||
        size > k->config.app_flash_end - addr) {
        return "outside app flash";
    }
    struct tbf_lengths lengths;
    /* SAFETY: [addr, addr + size) lies in app flash (checked above). */
    const uint8_t *tbf = (const uint8_t *)addr;
    enum tbf_status st = tbf_parse_lengths(tbf, size, &lengths);
    if (st == TBF_END) {
        return "no header";
    }
    /* Past the first word the lengths are written: a size the header does not declare is the
     * loader's mismatch, whichever of the two is larger. */
    if (st != TBF_ERR_VERSION && lengths.total_size != size) {
        format_to_buffer(reason, CREDENTIALS_REASON_LEN, "total size %u, but %u bytes loaded",
                         (unsigned)lengths.total_size, (unsigned)size);
        return reason;
    }
    if (st == TBF_OK) {
        st = tbf_parse_header(tbf, lengths.header_size, hdr);
    }
    if (st == TBF_PADDING) {
        return "a padding object, not an app";
    }
    if (st != TBF_OK) {
        return tbf_error_reason(st);
    }
    const char *why = check_placement(hdr, addr);
    if (why != NULL) {
        return why;
    }
    return credentials_check(k, k->slot_limit, hdr, tbf, id, reason);
}

const char *kernel_check_app(struct kernel *k, uintptr_t addr, uint32_t size,
                             char reason[KERNEL_REASON_LEN])
{
    struct tbf_header hdr;
    struct app_identity id;
    return check_new_app(k, addr, size, &hdr, &id, reason);
}

const char *kernel_load_app(struct kernel *k, uintptr_t addr, uint32_t size,
                            char reason[KERNEL_REASON_LEN])
{
    struct tbf_header hdr;
    struct app_identity id;
    const char *why = check_new_app(k, addr, size, &hdr, &id, reason);
    if (why != NULL) {
        return why;
    }
    /* Slots below slot_limit are in use (alive or not: the console may boot them again); the
     * new app takes the first slot never used, and RAM above every process's block. */
    uint32_t index = k->slot_limit;
    uint32_t slots = k->config.process_count;
    if (index >= slots) {
        format_to_buffer(reason, CREDENTIALS_REASON_LEN, "no free process slot (%u of %u)",
                         (unsigned)slots, (unsigned)slots);
        return reason;
    }
    uintptr_t ram_cursor = k->config.app_ram_start;
    for (uint32_t i = 0; i < index; i++) {
        const struct process *p = &k->config.processes[i];
        if (p->state != PROCESS_EMPTY && p->mem_start + p->mem_size > ram_cursor) {
            ram_cursor = p->mem_start + p->mem_size;
        }
    }
    struct process *p = &k->config.processes[index];
    struct reason r;
    why = create_process(k, p, index, &hdr, addr, &ram_cursor, &r);
    if (why != NULL) {
        *p = (struct process){ .state = PROCESS_EMPTY };
        format_to_buffer(reason, CREDENTIALS_REASON_LEN, "%s", why);
        return reason;
    }
    credentials_adopt(k, p, &hdr, &id);
    say_loaded(p);
    return NULL;
}
