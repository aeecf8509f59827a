/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Brief fault reports for the smallest kernels (CONFIG=core, whose text budget is 20 KiB): the
 * headline names the fault and its address, the pc line gives the offset into the app's
 * binary, then the process dump; what the address is and the status bits by name are left to
 * kernel/fault_report.c, which the full configuration links instead. A board links one of the
 * two (doc/reference/023-fault-reports.md §1).
 */
#include "kernel/fault_report.h"

#include "kernel/debug.h"

void fault_report(const struct kernel *k, const struct process *p, const char *reason)
{
    (void)k;
    struct arch_fault fault;
    arch_fault_info(&p->context, (struct arch_bounds){ p->mem_start, p->app_brk }, &fault);
    debug_printf("\n[kernel] process %s (id %u) faulted: ", p->name, (unsigned)p->pid.id);
    if (reason != NULL) {
        debug_printf("%s\n", reason);
    } else {
        debug_printf("%s%s%s", fault.source, fault.source[0] != '\0' ? ", " : "", fault.kind);
        debug_printf(fault.address_known ? " at 0x%08x\n" : "\n", (unsigned)fault.address);
    }
    uintptr_t binary = p->flash_start + p->protected_size;
    if (fault.pc_known && fault.pc >= binary && fault.pc < p->flash_start + p->flash_size) {
        debug_printf("  pc 0x%08x (app binary + 0x%04x)\n", (unsigned)fault.pc,
                     (unsigned)(fault.pc - binary));
    }
    process_print(p);
}
