/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fault reports (fault_report.h): the faulting address named by what lies there, the status
 * registers by name, the program counter as an offset into the app's binary.
 *
 * Invariant: nothing here reads process memory; it reads the kernel's process table, the
 * board's memory map and what the arch latched.
 */
#include "kernel/fault_report.h"

#include "format.h"
#include "kernel/debug.h"

static bool within(uintptr_t address, uintptr_t start, uintptr_t end)
{
    return address >= start && address < end;
}

/* The place of an address that is not p's own: other processes, then the board's map. */
static struct fault_place place_elsewhere(const struct kernel *k, const struct process *p,
                                          uintptr_t address)
{
    const struct kernel_config *c = &k->config;
    for (uint32_t i = 0; i < c->process_count; i++) {
        const struct process *q = &c->processes[i];
        if (q == p || q->state == PROCESS_EMPTY) {
            continue;
        }
        if (within(address, q->mem_start, q->mem_start + q->mem_size)) {
            return (struct fault_place){ FAULT_PLACE_OTHER_RAM,
                                         (uint32_t)(address - q->mem_start), 0, q };
        }
        if (within(address, q->flash_start, q->flash_start + q->flash_size)) {
            return (struct fault_place){ FAULT_PLACE_OTHER_FLASH,
                                         (uint32_t)(address - q->flash_start), 0, q };
        }
    }
    static const struct kernel_memory_map unknown = { { 0, 0 }, { 0, 0 }, NULL, 0 };
    const struct kernel_memory_map *map = k->memory_map != NULL ? k->memory_map : &unknown;
    enum fault_place_kind kind = FAULT_PLACE_UNMAPPED;
    if (within(address, c->app_ram_start, c->app_ram_end)) {
        kind = FAULT_PLACE_FREE_APP_RAM;
    } else if (within(address, c->app_flash_start, c->app_flash_end)) {
        kind = FAULT_PLACE_FREE_APP_FLASH;
    } else if (within(address, map->kernel_ram.start, map->kernel_ram.end)) {
        kind = FAULT_PLACE_KERNEL_RAM;
    } else if (within(address, map->kernel_flash.start, map->kernel_flash.end)) {
        kind = FAULT_PLACE_KERNEL_FLASH;
    } else {
        for (uint32_t i = 0; i < map->peripheral_count; i++) {
            if (within(address, map->peripherals[i].start, map->peripherals[i].end)) {
                kind = FAULT_PLACE_PERIPHERAL;
            }
        }
    }
    return (struct fault_place){ kind, 0, 0, NULL };
}

struct fault_place fault_place_of(const struct kernel *k, const struct process *p,
                                  uintptr_t address)
{
    uintptr_t mem_end = p->mem_start + p->mem_size;
    uintptr_t binary = p->flash_start + p->protected_size;
    if (within(address, p->mem_start, p->app_brk)) {
        return (struct fault_place){ FAULT_PLACE_OWN_RAM, (uint32_t)(address - p->mem_start), 0,
                                     NULL };
    }
    if (within(address, p->app_brk, p->kernel_brk)) {
        return (struct fault_place){ FAULT_PLACE_ABOVE_BREAK, (uint32_t)(address - p->app_brk),
                                     0, NULL };
    }
    if (within(address, p->kernel_brk, mem_end)) {
        return (struct fault_place){ FAULT_PLACE_GRANT, (uint32_t)(address - p->kernel_brk), 0,
                                     NULL };
    }
    if (within(address, p->flash_start, binary)) {
        return (struct fault_place){ FAULT_PLACE_OWN_HEADER,
                                     (uint32_t)(address - p->flash_start), 0, NULL };
    }
    if (within(address, binary, p->flash_start + p->flash_size)) {
        return (struct fault_place){ FAULT_PLACE_OWN_FLASH, (uint32_t)(address - binary), 0,
                                     NULL };
    }
    struct fault_place place = place_elsewhere(k, p, address);
    if (address < p->mem_start && p->mem_start - address <= FAULT_STACK_OVERFLOW_WINDOW) {
        place.below_stack = (uint32_t)(p->mem_start - address);
    }
    return place;
}

static const char *const place_names[] = {
    [FAULT_PLACE_OWN_RAM] = "own RAM",
    [FAULT_PLACE_ABOVE_BREAK] = "own RAM above the app break",
    [FAULT_PLACE_GRANT] = "grant region",
    [FAULT_PLACE_OWN_HEADER] = "own TBF header (protected)",
    [FAULT_PLACE_OWN_FLASH] = "own flash",
    [FAULT_PLACE_OTHER_RAM] = "another process's RAM",
    [FAULT_PLACE_OTHER_FLASH] = "another process's flash",
    [FAULT_PLACE_FREE_APP_RAM] = "app RAM no process holds",
    [FAULT_PLACE_FREE_APP_FLASH] = "app flash no process holds",
    [FAULT_PLACE_KERNEL_RAM] = "kernel RAM",
    [FAULT_PLACE_KERNEL_FLASH] = "kernel flash",
    [FAULT_PLACE_PERIPHERAL] = "peripheral",
    [FAULT_PLACE_UNMAPPED] = "unmapped",
};

/* The access as the place explains it: a data access the hardware does not qualify can only
 * have been a write where the process may read (its own flash and header). */
static const char *access_note(const struct fault_place *place, enum arch_access access)
{
    bool readable = place->kind == FAULT_PLACE_OWN_FLASH || place->kind == FAULT_PLACE_OWN_HEADER;
    if (access == ARCH_ACCESS_WRITE || (readable && access == ARCH_ACCESS_UNKNOWN)) {
        return " (write)";
    }
    if (access == ARCH_ACCESS_EXECUTE && place->kind == FAULT_PLACE_OWN_RAM) {
        return " (execute: RAM is not executable)";
    }
    return "";
}

void fault_place_text(const struct fault_place *place, enum arch_access access, char *buf,
                      size_t len)
{
    const char *name = place_names[place->kind];
    const char *note = access_note(place, access);
    if (place->below_stack != 0) {
        format_to_buffer(buf, len, "%u bytes below the stack start (stack overflow), in %s",
                         (unsigned)place->below_stack, name);
    } else if (place->other != NULL) {
        format_to_buffer(buf, len, "%s (%s)%s", name, place->other->name, note);
    } else {
        format_to_buffer(buf, len, "%s%s", name, note);
    }
}

/* "0x00100a3c (app binary + 0x093c)", or where else the address lies ("kernel flash") when
 * `name_any` (the pc; a return address outside the binary is only a number, such as the 1
 * a process starts with). */
static void print_code_address(const struct kernel *k, const struct process *p,
                               const char *label, uintptr_t address, bool name_any)
{
    struct fault_place place = fault_place_of(k, p, address);
    if (place.kind == FAULT_PLACE_OWN_FLASH) {
        debug_printf("%s 0x%08x (app binary + 0x%04x)", label, (unsigned)address,
                     (unsigned)place.offset);
    } else if (!name_any) {
        debug_printf("%s 0x%08x", label, (unsigned)address);
    } else {
        char where[96];
        fault_place_text(&place, ARCH_ACCESS_EXECUTE, where, sizeof where);
        debug_printf("%s 0x%08x (%s)", label, (unsigned)address, where);
    }
}

void fault_report(const struct kernel *k, const struct process *p, const char *reason)
{
    struct arch_fault fault;
    arch_fault_info(&p->context, (struct arch_bounds){ p->mem_start, p->app_brk }, &fault);
    debug_printf("\n[kernel] process %s (id %u) faulted: ", p->name, (unsigned)p->pid.id);
    if (reason != NULL) {
        debug_printf("%s\n", reason);
    } else {
        debug_printf("%s%s%s", fault.source, fault.source[0] != '\0' ? ", " : "", fault.kind);
        if (fault.address_known) {
            char where[112];
            struct fault_place place = fault_place_of(k, p, fault.address);
            fault_place_text(&place, fault.access, where, sizeof where);
            debug_printf(" at 0x%08x: %s\n", (unsigned)fault.address, where);
        } else {
            debug_printf(" (the hardware gives no address)\n");
        }
        arch_fault_print_status(&p->context);
    }
    if (fault.pc_known) {
        print_code_address(k, p, "  pc", fault.pc, true);
        print_code_address(k, p, ", lr", fault.lr, false);
        debug_printf(", sp 0x%08x\n", (unsigned)fault.sp);
    } else {
        debug_printf("  pc unknown (the exception frame could not be written), sp 0x%08x\n",
                     (unsigned)fault.sp);
    }
    process_print(p);
}
