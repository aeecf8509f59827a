/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * RV32 machine-mode trap entry and the switch into and out of user-mode processes.
 *
 * The kernel runs in M-mode with mstatus.MIE clear (interrupts only wake wfi); processes run in
 * U-mode, where enabled machine interrupts always trap. mscratch holds the running process's
 * struct arch_context while it runs and 0 while the kernel runs, so a trap taken in the kernel
 * is recognised and reported as a kernel fault.
 *
 * The kernel never writes gp or tp: its linker script defines no __global_pointer$ (so the
 * linker makes no gp-relative accesses) and it uses no thread pointer, and a tools test checks its image for any
 * instruction that writes either (tests/tools/test_kernel_image.py). The kernel is compiled with
 * t3-t6 reserved (-ffixed-t3 ... -ffixed-t6, boards/qemu_rv32_virt/board.mk; its own 64-bit
 * division replaces libgcc's, which uses them) and the same test checks that no kernel
 * instruction names them. So, like s0-s11, gp, tp and t3-t6 keep the process's values while the
 * kernel runs, and only a switch of process saves and loads them.
 *
 * SAFETY: riscv_switch_to_user saves the kernel's callee-saved registers on the kernel stack
 * and the trap entry restores them; every user register C code may change is saved into the
 * context before any kernel code runs. struct arch_context offsets: regs[i] at 4*i, pc 128,
 * kernel_sp 132, mcause 136, mtval 140.
 */
/* `op` (lw or sw) on a0's struct arch_context for the registers the kernel's C code may
 * clobber, a0 (x10) excepted since it holds the context: ra, sp, t0-t2 and a1-a7. */
    .macro caller_saved op
    \op x1, 4(a0)
    \op x2, 8(a0)
    \op x5, 20(a0)
    \op x6, 24(a0)
    \op x7, 28(a0)
    \op x11, 44(a0)
    \op x12, 48(a0)
    \op x13, 52(a0)
    \op x14, 56(a0)
    \op x15, 60(a0)
    \op x16, 64(a0)
    \op x17, 68(a0)
    .endm

/* The same for the registers the kernel preserves: gp, tp and t3-t6 (never used, see below) and
 * s0-s11 (C's callee-saved). */
    .macro callee_saved op
    \op x3, 12(a0)
    \op x4, 16(a0)
    \op x8, 32(a0)
    \op x9, 36(a0)
    \op x18, 72(a0)
    \op x19, 76(a0)
    \op x20, 80(a0)
    \op x21, 84(a0)
    \op x22, 88(a0)
    \op x23, 92(a0)
    \op x24, 96(a0)
    \op x25, 100(a0)
    \op x26, 104(a0)
    \op x27, 108(a0)
    \op x28, 112(a0)
    \op x29, 116(a0)
    \op x30, 120(a0)
    \op x31, 124(a0)
    .endm

/* `op` on the kernel stack frame riscv_switch_to_user makes for the kernel's own registers
 * (ra, s0-s11), restored when the process traps back to the kernel. */
    .macro kernel_saved op
    \op ra, 0(sp)
    \op s0, 4(sp)
    \op s1, 8(sp)
    \op s2, 12(sp)
    \op s3, 16(sp)
    \op s4, 20(sp)
    \op s5, 24(sp)
    \op s6, 28(sp)
    \op s7, 32(sp)
    \op s8, 36(sp)
    \op s9, 40(sp)
    \op s10, 44(sp)
    \op s11, 48(sp)
    .endm

    .section .text.riscv_switch_to_user, "ax", @progbits
    .global riscv_switch_to_user
    .type riscv_switch_to_user, @function
/* void riscv_switch_to_user(struct arch_context *ctx) */
riscv_switch_to_user:
    addi sp, sp, -64
    kernel_saved sw
    sw sp, 132(a0)
    csrw mscratch, a0
    lw t0, 128(a0)
    csrw mepc, t0
    li t0, 0x1800           /* mstatus.MPP = user */
    csrc mstatus, t0
    li t0, 0x80             /* mstatus.MPIE */
    csrs mstatus, t0
    caller_saved lw
    callee_saved lw
    lw x10, 40(a0)
    mret
    .size riscv_switch_to_user, . - riscv_switch_to_user

    .section .text.riscv_trap_entry, "ax", @progbits
    .balign 64
    .global riscv_trap_entry
    .type riscv_trap_entry, @function
/* First save what the kernel's C code may clobber (ra, sp, t0-t2, a0-a7) and pc/cause. A syscall
 * then goes to the kernel's fast path (riscv_syscall_trap) on the kernel stack; if that says
 * resume, those registers come back and the process continues (s0-s11 were never touched:
 * C preserves them). Anything else saves the rest and returns to the kernel. */
riscv_trap_entry:
    csrrw a0, mscratch, a0
    beqz a0, 1f
    caller_saved sw
    csrrw t0, mscratch, zero  /* the process's a0; mscratch 0 = the kernel runs */
    sw t0, 40(a0)
    csrr t0, mepc
    sw t0, 128(a0)
    csrr t0, mcause
    sw t0, 136(a0)
    li t1, 8                  /* environment call from U-mode */
    bne t0, t1, 2f
    lw sp, 132(a0)
    addi sp, sp, -16
    sw a0, 0(sp)
    call riscv_syscall_trap   /* a0 = ctx; returns 0 to resume it, 2 to run riscv_running */
    mv t0, a0
    lw a0, 0(sp)
    bnez t0, 3f
4:  lw t0, 128(a0)
    csrw mepc, t0
    csrw mscratch, a0
    caller_saved lw
    lw x10, 40(a0)
    mret
3:  li t1, 2
    bne t0, t1, 2f
    /* The fast path switched to riscv_running (its PMP is loaded): the blocked process keeps
     * its s0-s11, and the kernel stack the trap returns to moves with the running one. */
    callee_saved sw
    lw t0, 132(a0)
    lui a0, %hi(riscv_running)
    lw a0, %lo(riscv_running)(a0)
    sw t0, 132(a0)
    callee_saved lw
    j 4b
2:  /* to the kernel loop: save the rest, restore the kernel's registers */
    callee_saved sw
    csrr t0, mtval
    sw t0, 140(a0)
    lw sp, 132(a0)
    kernel_saved lw
    addi sp, sp, 64
    ret
1:  /* a trap in the kernel itself */
    csrrw a0, mscratch, a0
    csrr a0, mcause
    csrr a1, mepc
    csrr a2, mtval
    j riscv_kernel_trap
    .size riscv_trap_entry, . - riscv_trap_entry

    .section .text.riscv_start, "ax", @progbits
    .global riscv_start
    .type riscv_start, @function
riscv_start:
    la sp, _estack
    csrw mscratch, zero
    la t0, riscv_trap_entry
    csrw mtvec, t0
    j riscv_reset
    .size riscv_start, . - riscv_start
