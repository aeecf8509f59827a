/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The architecture contract: exactly one implementation is linked into an image (arch/cortex-m
 * or arch/riscv; tests/fakes/fake_arch.c on the host). Not a HIL: plain functions chosen at link
 * time. The arch's own <arch/arch_types.h> defines struct arch_context and struct arch_mpu.
 *
 * Invariants: the kernel never touches process registers or the memory-protection unit except
 * through these functions; every address the arch reads from process memory is checked against
 * the bounds the kernel last gave that process's context (arch_context_init and
 * arch_context_set_bounds, which the kernel calls whenever the break moves).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/arch_types.h"
#include "errorcode.h"
#include "kernel/syscall_return.h"
#include "kernel/upcall_queue.h"

/* The process memory the arch may read and write on the process's behalf: [start, brk). */
struct arch_bounds {
    uintptr_t mem_start;
    uintptr_t app_brk;
};

enum arch_switch_reason {
    ARCH_SWITCH_SYSCALL,     /* the process trapped with a syscall */
    ARCH_SWITCH_INTERRUPTED, /* an interrupt or the timeslice timer stopped it */
    ARCH_SWITCH_FAULT,       /* the process faulted (arch_fault_info says how) */
};

/* A syscall as the process made it. args points at its four argument registers where the arch
 * keeps them (which is also where return values go: read the arguments first). */
struct arch_syscall {
    uint32_t class_num;
    uint32_t *args;
};

/* ---- process state ---- */

/* Bytes of RAM a new process can use before its first brk (ARM 32, RISC-V 0). */
uint32_t arch_initial_app_brk_size(void);

/* Reset ctx for a process whose RAM is [mem_start, app_brk) and zeroed; ctx keeps these
 * bounds (below). */
void arch_context_init(struct arch_context *ctx, struct arch_bounds bounds);

/* The process's accessible memory is now [mem_start, app_brk) (its break moved). The context
 * keeps its bounds, in whatever form the arch checks fastest: every later check of process
 * memory the arch makes for this context (the syscall frame, an upcall frame, a fault dump)
 * uses the bounds last given here or to arch_context_init. */
void arch_context_set_bounds(struct arch_context *ctx, struct arch_bounds bounds);

/* Arrange for the process to run task->fn(task->args) when it next runs. ERR_FAIL (the process
 * must fault) if its stack is not inside its memory. */
MUST_CHECK err_t arch_push_upcall(struct arch_context *ctx, const struct upcall_task *task);

/* Run the process whose context is ctx until a trap goes back to the kernel loop. On the way
 * the fast path may have switched to other processes (KERNEL_FAST_SWITCH): *trapped is the
 * context of the process that trapped, which the reason is about. */
enum arch_switch_reason arch_switch_to_process(struct arch_context *ctx,
                                               struct arch_context **trapped);

/* Syscall registers: static inline in the arch's <arch/arch_syscall.h> (they are on every
 * syscall's path), included at the end of this file:
 *   void arch_get_syscall(struct arch_context *ctx, struct arch_syscall *out);
 *     the syscall the process made (valid from its trap until it runs again);
 *   void arch_set_syscall_return(struct arch_context *ctx, const struct syscall_registers *r);
 *     write the return registers r->regs[0..count) (the others keep the process's values);
 *   const uint32_t *arch_syscall_args(const struct arch_context *ctx);
 *     the four argument registers, where return values and a pushed upcall's arguments also
 *     go (valid, like arch_get_syscall's, while the process's frame is inside its bounds). */

/* ---- the syscall fast path (implemented by the kernel, called by the arch's trap code) ---- */

enum kernel_fast_result {
    KERNEL_FAST_RESUME, /* handled; return straight to the process */
    KERNEL_FAST_STOP,   /* handled; return to the kernel loop (ARCH_SWITCH_INTERRUPTED) */
    KERNEL_FAST_DEFER,  /* not handled; the loop handles it (ARCH_SWITCH_SYSCALL) */
    KERNEL_FAST_SWITCH, /* handled, and it blocked: run next->ctx instead (see below) */
};

/* The process to run after KERNEL_FAST_SWITCH: the kernel has already loaded its MPU/PMP
 * configuration and timeslice, and made it ready to resume (an upcall pushed, if any). */
struct kernel_fast_switch {
    struct arch_context *ctx;
};

/* The running process (ctx: the one arch_switch_to_process started, or the last one a
 * KERNEL_FAST_SWITCH named) made a syscall; the arch has saved its registers (the syscall's
 * frame checked inside that process's bounds) and advanced its pc past the trap. Runs in the
 * trap context, which nothing else in the kernel can interrupt. Interrupts that arrive
 * meanwhile stay pending and stop the process as soon as it resumes.
 *
 * On KERNEL_FAST_SWITCH the arch saves the rest of ctx's registers in ctx, loads next->ctx's
 * and returns to that process; from then on it is the running process (its syscalls come here
 * with its context, its frame is checked against its context's bounds, and a trap to the loop
 * names it in *trapped). ctx stays as a blocked process that last trapped with a syscall. */
enum kernel_fast_result kernel_syscall_fast(struct arch_context *ctx,
                                            struct kernel_fast_switch *next);

/* What a process was doing when it stopped (fault dumps). Valid after ARCH_SWITCH_FAULT for
 * the fault fields; pc, lr and sp are read for any process (after a syscall: the trap's). */
enum arch_access {
    ARCH_ACCESS_UNKNOWN, /* the hardware does not say */
    ARCH_ACCESS_READ,
    ARCH_ACCESS_WRITE,
    ARCH_ACCESS_EXECUTE,
    ARCH_ACCESS_STACKING, /* exception entry pushing the frame (Cortex-M stacking error) */
};
struct arch_fault {
    bool is_hardware_fault; /* latched at ARCH_SWITCH_FAULT (false: the kernel ended it) */
    const char *source;     /* the exception ("MemManage") where the arch has several, or "" */
    const char *kind;       /* "data access violation", "load access fault" */
    enum arch_access access;
    bool address_known;
    uintptr_t address; /* the faulting data or instruction address */
    bool pc_known;     /* false when the exception frame could not be read */
    uintptr_t pc;
    uintptr_t lr; /* return address register (Cortex-M lr, RISC-V ra); valid with pc */
    uintptr_t sp;
};
void arch_fault_info(const struct arch_context *ctx, struct arch_fault *fault);
/* Print the fault status registers with every set bit by name (Cortex-M CFSR and HFSR) or the
 * cause by name (RISC-V mcause and mtval), one line, through debug_printf. */
void arch_fault_print_status(const struct arch_context *ctx);

/* Print registers through debug_printf. */
void arch_print_context(const struct arch_context *ctx);

/* ---- memory protection ---- */

struct arch_ram_request {
    uintptr_t free_start;  /* first free byte of the app RAM pool */
    uintptr_t free_end;    /* one past the pool */
    uintptr_t fixed_start; /* required start, or 0 for none */
    uint32_t min_size;     /* total bytes the process needs (app + grants) */
    uint32_t initial_app_size;
};

/* Choose the process's RAM block and set up its regions. ERR_NOMEM if it cannot fit; ERR_INVAL
 * if a fixed start cannot be honoured. */
MUST_CHECK err_t arch_mpu_allocate_ram(struct arch_mpu *mpu, const struct arch_ram_request *req,
                                       uintptr_t *mem_start, uint32_t *mem_size);

/* Expose exactly [mem_start, app_brk) (rounded as the hardware needs) and nothing at or above
 * kernel_brk. ERR_NOMEM if the rounding would reach kernel_brk; nothing changes then. */
MUST_CHECK err_t arch_mpu_update_app_brk(struct arch_mpu *mpu, uintptr_t app_brk,
                                         uintptr_t kernel_brk);

/* The end of the RAM the configuration lets the process access: its break rounded up as the
 * hardware needs (arch_mpu_update_app_brk), never at or above the kernel break. The kernel
 * zero-fills RAM up to here whenever the break grows, so the process reads only zeroes or its
 * own writes. */
uintptr_t arch_mpu_accessible_end(const struct arch_mpu *mpu);

/* Make the process's flash [start, start+size) readable and executable. ERR_INVAL if the
 * hardware cannot cover exactly that range. */
MUST_CHECK err_t arch_mpu_set_flash(struct arch_mpu *mpu, uintptr_t start, uint32_t size);

/* True when [addr, addr + len) can be exposed to another process as one shared region (the
 * hardware can represent it exactly). */
bool arch_mpu_can_share(uintptr_t addr, uint32_t len);

/* Also expose [addr, addr + len) read-write to this process. ERR_OK (also when already
 * exposed), ERR_INVAL (not representable) or ERR_NOMEM (no region left). */
MUST_CHECK err_t arch_mpu_add_shared(struct arch_mpu *mpu, uintptr_t addr, uint32_t len);

/* Withdraw every shared region that starts inside [start, end). */
void arch_mpu_remove_shared(struct arch_mpu *mpu, uintptr_t start, uintptr_t end);

/* Load the configuration into the hardware before running the process (only ever one whose
 * RAM arch_mpu_allocate_ram laid out). The kernel calls it only when the hardware may hold
 * something else: another process's configuration, or an
 * older generation of this one (every arch_mpu_* function above that takes a non-const
 * struct arch_mpu increments its `generation` before it may change anything). */
void arch_mpu_configure(const struct arch_mpu *mpu);

/* Print the configured regions through debug_printf. */
void arch_mpu_print(const struct arch_mpu *mpu);

/* Stop the machine for good (after a kernel panic): interrupts off, loop forever. */
__attribute__((noreturn)) void arch_halt(void);

/* ---- scheduler timer ---- */

void arch_timeslice_start(uint32_t us);
/* Boot (kernel_init): the length of a full slice, converted to timer ticks once. */
void arch_timeslice_set_full(uint32_t us);
/* arch_timeslice_start with the full length: the scheduler's usual slice, without the
 * conversion. */
void arch_timeslice_start_full(void);
bool arch_timeslice_expired(void);
uint32_t arch_timeslice_remaining_us(void);
void arch_timeslice_stop(void);

#include "arch/arch_syscall.h"
