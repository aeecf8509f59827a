/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Cortex-M exception entry and the switch into and out of processes.
 *
 * The kernel runs in privileged thread mode on MSP; processes run unprivileged on PSP. The kernel
 * enters a process by pending PendSV from cortexm_switch_to_user (it never executes `svc`, so
 * the SVC handler serves process syscalls only and needs no test of where it came from; a
 * tools test checks the kernel image has no `svc`); any exception taken from the
 * process (syscall, interrupt, SysTick, fault) records why in cortexm_trap_reason, makes thread
 * mode privileged again and returns to the kernel on MSP, right after that pend. A syscall
 * first goes to the kernel's fast path (kernel_syscall_fast) in handler mode, which may finish
 * it and return straight to the process, or, when it blocked, switch to the next process
 * (the SVC handler swaps r4-r11 and PSP).
 *
 * Device interrupts only disable their line in the NVIC and leave it pending; the chip services
 * pending lines from the kernel loop (code rules §8, record 000).
 *
 * SAFETY: every handler here runs at the same priority (no nesting among them); they clobber
 * only the caller-saved registers r0-r3 and r12, which the hardware frame preserves.
 */
    .syntax unified
    .cpu cortex-m3
    .thumb

    .equ TRAP_SYSCALL, 1
    .equ TRAP_INTERRUPTED, 2
    .equ TRAP_FAULT, 3
    .equ TRAP_SWITCHED, 4
    .equ CTX_PSP, 32        /* offsetof(struct arch_context, psp); regs[8] is at 0 */
    .equ RUNNING_BLOCKED, 4 /* offsetof(struct cortexm_running, blocked); ctx is at 0 */
    .equ EXC_RETURN_THREAD_MSP, 0xFFFFFFF9
    .equ EXC_RETURN_THREAD_PSP, 0xFFFFFFFD
    .equ NVIC_ICER, 0xE000E180
    .equ SCB_ICSR, 0xE000ED04
    .equ ICSR_PENDSVSET, 0x10000000
    .equ NVIC_ISPR, 0xE000E200

    .section .text.cortexm_switch_to_user, "ax", %progbits
    .global cortexm_switch_to_user
    .type cortexm_switch_to_user, %function
/* uint32_t cortexm_switch_to_user(uint32_t regs[8], uint32_t psp): returns the psp of the
 * process that trapped back (cortexm_running.ctx: the fast path may have switched), whose
 * r4-r11 it saves in that context. r0 is pushed only to keep the stack 8-byte aligned. */
cortexm_switch_to_user:
    push {r0, r4-r11, lr}
    msr psp, r1
    ldmia r0, {r4-r11}
    ldr r0, =SCB_ICSR
    mov r1, #ICSR_PENDSVSET
    str r1, [r0]
    dsb
    isb                     /* PendSV is taken here; the process traps back to the next line */
    ldr r0, =cortexm_running
    ldr r0, [r0]
    stmia r0, {r4-r11}
    mrs r0, psp
    pop {r1, r4-r11, pc}
    .size cortexm_switch_to_user, . - cortexm_switch_to_user

    .section .text.cortexm_return_to_kernel, "ax", %progbits
    .type cortexm_return_to_kernel, %function
/* r0 = trap reason. Leave handler mode for privileged thread mode on MSP. */
cortexm_return_to_kernel:
    ldr r1, =cortexm_trap_reason
    str r0, [r1]
    mrs r0, control
    bic r0, r0, #1
    msr control, r0
    isb
    ldr lr, =EXC_RETURN_THREAD_MSP
    bx lr
    .size cortexm_return_to_kernel, . - cortexm_return_to_kernel

    .section .text.cortexm_svc_handler, "ax", %progbits
    .global cortexm_svc_handler
    .type cortexm_svc_handler, %function
cortexm_svc_handler:
    /* A syscall: try the fast path (r0 = 0 to resume the process, TRAP_SWITCHED to run
     * another, else a trap reason). The process's r4-r11 stay live: C preserves them. lr is
     * not saved: a syscall from a process always came with EXC_RETURN_THREAD_PSP (no FPU on
     * the M3), and the stack stays 8-byte aligned as the exception entry left it. */
    mrs r0, psp
    bl cortexm_syscall_trap
    cbnz r0, 2f
    ldr pc, =EXC_RETURN_THREAD_PSP
2:  ldr lr, =EXC_RETURN_THREAD_PSP
    cmp r0, #TRAP_SWITCHED
    bne cortexm_return_to_kernel
    /* The fast path switched from cortexm_running.blocked to cortexm_running.ctx (its MPU
     * and frame are ready). */
    ldr r2, =cortexm_running
    ldr r1, [r2, #RUNNING_BLOCKED]
    stmia r1, {r4-r11}
    ldr r2, [r2]
    ldmia r2, {r4-r11}
    ldr r0, [r2, #CTX_PSP]
    msr psp, r0
    bx lr
    .size cortexm_svc_handler, . - cortexm_svc_handler

    .section .text.cortexm_pendsv_handler, "ax", %progbits
    .global cortexm_pendsv_handler
    .type cortexm_pendsv_handler, %function
/* Pended only by cortexm_switch_to_user: drop privilege and run the process (its r4-r11 and
 * PSP are loaded). */
cortexm_pendsv_handler:
    mrs r0, control
    orr r0, r0, #1
    msr control, r0
    isb
    ldr pc, =EXC_RETURN_THREAD_PSP
    .size cortexm_pendsv_handler, . - cortexm_pendsv_handler

    .section .text.cortexm_irq_handler, "ax", %progbits
    .global cortexm_irq_handler
    .type cortexm_irq_handler, %function
cortexm_irq_handler:
    mrs r0, ipsr
    and r0, r0, #0xff
    sub r0, r0, #16
    lsr r2, r0, #5
    and r3, r0, #31
    movs r1, #1
    lsl r1, r1, r3
    ldr r3, =NVIC_ICER
    str r1, [r3, r2, lsl #2]
    ldr r3, =NVIC_ISPR
    str r1, [r3, r2, lsl #2]
    ldr r3, =cortexm_irq_pending  /* the kernel looks at the NVIC only when this is set */
    movs r2, #1
    str r2, [r3]
    tst lr, #4
    beq 2f
    movs r0, #TRAP_INTERRUPTED
    b cortexm_return_to_kernel
2:  bx lr
    .size cortexm_irq_handler, . - cortexm_irq_handler

    .section .text.cortexm_systick_handler, "ax", %progbits
    .global cortexm_systick_handler
    .type cortexm_systick_handler, %function
cortexm_systick_handler:
    tst lr, #4
    beq 3f
    movs r0, #TRAP_INTERRUPTED
    b cortexm_return_to_kernel
3:  bx lr
    .size cortexm_systick_handler, . - cortexm_systick_handler

    .section .text.cortexm_fault_handler, "ax", %progbits
    .global cortexm_fault_handler
    .type cortexm_fault_handler, %function
/* HardFault, MemManage, BusFault, UsageFault. A fault taken from the process (EXC_RETURN says
 * thread mode on PSP) faults only the process; any other is a kernel bug. */
cortexm_fault_handler:
    ldr r1, =EXC_RETURN_THREAD_PSP
    cmp lr, r1
    bne 4f
    mrs r0, ipsr
    and r0, r0, #0xff
    ldr r1, =cortexm_fault_exception
    str r0, [r1]
    movs r0, #TRAP_FAULT
    b cortexm_return_to_kernel
4:  tst lr, #4
    ite eq
    mrseq r0, msp
    mrsne r0, psp
    mov r1, lr
    mrs r2, ipsr
    b cortexm_kernel_fault
    .size cortexm_fault_handler, . - cortexm_fault_handler
