/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fault reports: what a faulting address is, in the words a developer needs ("8 bytes below the
 * stack start (stack overflow)", "grant region", "another process's RAM (blink)"), and the
 * report process_fault prints: a headline, the fault status decoded by name, the program
 * counter as an offset into the app's binary, then the process dump.
 *
 * Report (mps2):
 *   [kernel] process overflow (id 4) faulted: MemManage, data access violation at 0x2003fff8:
 *     8 bytes below the stack start (stack overflow), in kernel RAM        (one line)
 *     status: CFSR 0x00000082 (DACCVIOL MMARVALID) HFSR 0x00000000 (none) MMFAR ... BFAR ...
 *     pc 0x00100a3c (app binary + 0x093c), lr 0x00100a21 (app binary + 0x0921), sp 0x20040000
 *   ... process dump (process_print) ...
 * tools/fault_lines.py turns the "app binary + offset" of a saved log into function and line.
 * kernel/fault_report_brief.c is the small kernels' version of fault_report (headline, pc
 * offset and dump, no place names); a board links one of the two files.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/arch.h"
#include "kernel/kernel.h"

/* How far below its RAM a faulting address still reads as the process's stack overflowing
 * (the stack grows down towards mem_start; one big frame can skip this far). */
#define FAULT_STACK_OVERFLOW_WINDOW 4096u

enum fault_place_kind {
    FAULT_PLACE_OWN_RAM,         /* [mem_start, app_brk) */
    FAULT_PLACE_ABOVE_BREAK,     /* [app_brk, kernel_brk): not yet given to the app */
    FAULT_PLACE_GRANT,           /* [kernel_brk, mem_end): the kernel's grants */
    FAULT_PLACE_OWN_HEADER,      /* the TBF header and protected region */
    FAULT_PLACE_OWN_FLASH,       /* the app binary */
    FAULT_PLACE_OTHER_RAM,       /* another process's RAM block */
    FAULT_PLACE_OTHER_FLASH,     /* another process's TBF */
    FAULT_PLACE_FREE_APP_RAM,    /* app RAM no process holds */
    FAULT_PLACE_FREE_APP_FLASH,  /* app flash no process holds */
    FAULT_PLACE_KERNEL_RAM,
    FAULT_PLACE_KERNEL_FLASH,
    FAULT_PLACE_PERIPHERAL,
    FAULT_PLACE_UNMAPPED,
};

struct fault_place {
    enum fault_place_kind kind;
    uint32_t offset;             /* from the start of the place (own and other processes) */
    uint32_t below_stack;        /* 0, or how far below the process's RAM the address lies */
    const struct process *other; /* FAULT_PLACE_OTHER_RAM / _FLASH */
};

/* Where `address` lies, seen from process p (pure: reads only k's memory map and processes). */
struct fault_place fault_place_of(const struct kernel *k, const struct process *p,
                                  uintptr_t address);

/* "own flash (write)", "8 bytes below the stack start (stack overflow), in kernel RAM", ... */
void fault_place_text(const struct fault_place *place, enum arch_access access, char *buf,
                      size_t len);

/* Print the report of p's fault (reason NULL: the hardware fault latched by the arch). */
void fault_report(const struct kernel *k, const struct process *p, const char *reason);
