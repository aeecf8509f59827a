/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Process loading: walk the TBF list in app flash, check each header, allocate RAM and MPU
 * regions, and start every valid app. A bad app is skipped with a console line naming it and the
 * reason; nothing an image contains can stop the kernel or the other apps.
 *
 * Invariants: processes take slots in discovery order and a failed load takes no slot; RAM is
 * handed out upward from app_ram_start; a process never gets RAM below the cursor; every
 * Writeable Flash Region of a loaded process lies inside its own image after the protected
 * region (process_in_writeable_flash and memop 8/9 rely on this and check nothing more).
 */
#include "kernel/arch.h"
#include "kernel/debug.h"
#include "kernel/kernel.h"
#include "tbf.h"

#include <stddef.h>

/* Copy at most PROCESS_NAME_MAX printable bytes of the package name for diagnostics. */
static void set_name(struct process *p, const struct tbf_header *hdr)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < hdr->package_name_len && n < PROCESS_NAME_MAX; i++) {
        uint8_t c = hdr->package_name[i];
        p->name[n++] = (c >= 0x20 && c < 0x7F) ? (char)c : '?';
    }
    if (n == 0) {
        p->name[n++] = '-';
    }
    p->name[n] = '\0';
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

static void describe_name(const struct tbf_header *hdr, char *out, size_t size)
{
    struct process tmp;
    set_name(&tmp, hdr);
    size_t i = 0;
    for (; i + 1 < size && tmp.name[i] != '\0'; i++) {
        out[i] = tmp.name[i];
    }
    out[i] = '\0';
}

static const char *check_placement(const struct tbf_header *hdr, uintptr_t flash)
{
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
                                  uintptr_t *ram_cursor)
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
    p->fault_policy = k->config.fault_policy;
    set_name(p, hdr);
    if (arch_mpu_set_flash(&p->mpu, flash, hdr->total_size) != ERR_OK) {
        return "flash placement the MPU cannot cover";
    }
    uint32_t initial = arch_initial_app_brk_size();
    uint32_t min_size = hdr->minimum_ram_size;
    if (min_size < initial) {
        min_size = initial;
    }
    if (min_size > UINT32_MAX - k->config.ram_headroom) {
        return "minimum RAM size too large";
    }
    struct arch_ram_request req = {
        .free_start = *ram_cursor,
        .free_end = k->config.app_ram_end,
        .fixed_start = 0,
        .min_size = min_size + k->config.ram_headroom,
        .initial_app_size = initial,
    };
    if (hdr->fixed_ram_address != TBF_NO_FIXED_ADDRESS) {
        if (hdr->fixed_ram_address < *ram_cursor || hdr->fixed_ram_address >= req.free_end) {
            return "fixed RAM address already taken or outside app RAM";
        }
        req.fixed_start = hdr->fixed_ram_address;
        req.free_start = hdr->fixed_ram_address;
    }
    uintptr_t mem_start = 0;
    uint32_t mem_size = 0;
    err_t err = arch_mpu_allocate_ram(&p->mpu, &req, &mem_start, &mem_size);
    if (err == ERR_INVAL && req.fixed_start != 0) {
        /* Both MPUs answer INVAL only when a fixed start is not one they can place RAM at. */
        return "fixed RAM address not aligned as the MPU requires";
    }
    if (err != ERR_OK) {
        return "not enough RAM";
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

void kernel_load_processes(struct kernel *k)
{
    k->processes_loaded = true;
    uintptr_t addr = k->config.app_flash_start;
    uintptr_t end = k->config.app_flash_end;
    uintptr_t ram_cursor = k->config.app_ram_start;
    uint32_t loaded = 0;
    while (loaded < k->config.process_count && addr < end) {
        /* SAFETY: [addr, end) is the board's app flash region, readable by the kernel. */
        const uint8_t *flash = (const uint8_t *)addr;
        struct tbf_lengths lengths;
        enum tbf_status st = tbf_parse_lengths(flash, end - addr, &lengths);
        if (st == TBF_END) {
            break;
        }
        if (st != TBF_OK) {
            debug_printf("[kernel] app at %p skipped: %s\n", (const void *)flash,
                         tbf_status_reason(st));
            addr += lengths.total_size;
            continue;
        }
        struct tbf_header hdr;
        st = tbf_parse_header(flash, lengths.header_size, &hdr);
        if (st == TBF_PADDING) {
            addr += lengths.total_size;
            continue;
        }
        if (st != TBF_OK) {
            debug_printf("[kernel] app at %p skipped: %s\n", (const void *)flash,
                         tbf_status_reason(st));
            addr += lengths.total_size;
            continue;
        }
        char name[PROCESS_NAME_MAX + 1];
        describe_name(&hdr, name, sizeof name);
        const char *why = (hdr.flags & TBF_FLAG_ENABLED) == 0 ? "disabled"
                                                               : check_placement(&hdr, addr);
        if (why == NULL) {
            why = create_process(k, &k->config.processes[loaded], loaded, &hdr, addr,
                                 &ram_cursor);
        }
        if (why != NULL) {
            debug_printf("[kernel] app %s at %p skipped: %s\n", name, (const void *)flash, why);
        } else {
            struct process *p = &k->config.processes[loaded];
            debug_printf("[kernel] loaded %s: flash %p+0x%x ram %p+0x%x\n", p->name,
                         (const void *)p->flash_start, (unsigned)p->flash_size,
                         (const void *)p->mem_start, (unsigned)p->mem_size);
            loaded++;
        }
        addr += lengths.total_size;
    }
    for (uint32_t i = loaded; i < k->config.process_count; i++) {
        if (k->config.processes[i].state != PROCESS_EMPTY) { /* kernel_init emptied the rest */
            k->config.processes[i] = (struct process){ .state = PROCESS_EMPTY };
        }
    }
}
