/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Human-readable process dumps for fault reports: state, counters, memory map, registers, MPU.
 */
#include "kernel/arch.h"
#include "kernel/debug.h"
#include "kernel/kernel.h"

const char *process_state_name(enum process_state s)
{
    switch (s) {
    case PROCESS_EMPTY:
        return "empty";
    case PROCESS_RUNNING:
        return "running";
    case PROCESS_YIELDED:
        return "yielded";
    case PROCESS_YIELDED_FOR:
        return "yielded-for";
    case PROCESS_STOPPED:
        return "stopped";
    case PROCESS_FAULTED:
        return "faulted";
    case PROCESS_TERMINATED:
        return "terminated";
    }
    return "?";
}

void process_print(const struct process *p)
{
    uintptr_t mem_end = p->mem_start + p->mem_size;
    debug_printf("  process %s: state %s, index %u, id %u, restarts %u, syscalls %u, "
                 "dropped upcalls %u, queued %u\n",
                 p->name, process_state_name(p->state), (unsigned)p->pid.index,
                 (unsigned)p->pid.id,
                 (unsigned)p->restart_count, (unsigned)p->syscall_count,
                 (unsigned)p->dropped_upcalls, (unsigned)p->queue.count);
    debug_printf("  memory map:\n"
                 "    0x%08x  end of RAM\n"
                 "    0x%08x  grants (%u bytes)\n"
                 "    0x%08x  app break (unused %u bytes above)\n"
                 "    0x%08x  heap start (reported)\n"
                 "    0x%08x  stack top (reported)\n"
                 "    0x%08x  RAM start\n"
                 "    0x%08x  flash end\n"
                 "    0x%08x  app binary (protected %u bytes)\n"
                 "    0x%08x  flash start\n",
                 (unsigned)mem_end, (unsigned)p->kernel_brk, (unsigned)(mem_end - p->kernel_brk),
                 (unsigned)p->app_brk, (unsigned)(p->kernel_brk - p->app_brk),
                 (unsigned)p->debug_heap_start, (unsigned)p->debug_stack_top,
                 (unsigned)p->mem_start, (unsigned)(p->flash_start + p->flash_size),
                 (unsigned)(p->flash_start + p->protected_size), (unsigned)p->protected_size,
                 (unsigned)p->flash_start);
    arch_print_context(&p->context);
    arch_mpu_print(&p->mpu);
}

bool process_print_fault_headline(const struct process *p, const char *reason,
                                  struct arch_fault *fault)
{
    arch_fault_info(&p->context, fault);
    debug_printf("\n[kernel] process %s (id %u) faulted: ", p->name, (unsigned)p->pid.id);
    if (reason != NULL) {
        debug_printf("%s\n", reason);
        return false;
    }
    debug_printf("%s%s%s", fault->source, fault->source[0] != '\0' ? ", " : "", fault->kind);
    return true;
}
