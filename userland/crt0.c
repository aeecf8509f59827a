/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * tockc crt0: the process entry point, doing exactly what libtock-c's crt0 does (ABI §2.1-2.2).
 *
 * The kernel "calls" _start(app_start, mem_start, memory_len, app_heap_break) with a tiny stack
 * (ARM: SP = mem_start + 32 over 32 zeroed bytes; RISC-V: SP = mem_start, nothing accessible).
 * _start reads the 40-byte crt0 header that userland_generic.ld places at app_start and
 *   1. computes stacktop = (mem_start + stack_size + 7) & ~7 and brk = mem_start + bss end;
 *   2. moves SP to stacktop early only if brk <= app_heap_break (the stack is already
 *      accessible); otherwise the first syscall runs on the kernel-provided stack;
 *   3. memop(0, brk), SP = stacktop, memop(10, stacktop), memop(11, brk);
 *   4. ARM: r9 = mem_start + got_start (the PIC base), then _c_start_pic relocates the GOT
 *      (bit 31 set: flash offset from app_start, else RAM offset from mem_start), copies .data,
 *      zeroes .bss and applies the .rel.data fixups the packer appended; RISC-V: _c_start_nopic
 *      copies GOT and .data verbatim and zeroes .bss (apps are linked at their fixed address);
 *   5. exit(main()).
 *
 * Usage: linked first into every app except those that bring their own _start (tests/entry).
 *
 * Invariants: nothing before the end of the GOT fixup may touch a global (on ARM every global is
 * reached through r9 and the GOT); if the kernel refuses the initial brk the process exits with
 * completion code 9 (NOMEM) instead of running on memory it does not own.
 */
#include <stdint.h>
#include <stdlib.h>

int main(void);

/* Populated by userland_generic.ld at the very start of the app binary. */
struct crt0_header {
    uint32_t got_sym_start;  /* GOT image in flash, offset from app_start */
    uint32_t got_start;      /* GOT in RAM, offset from mem_start */
    uint32_t got_size;       /* bytes */
    uint32_t data_sym_start; /* .data image in flash, offset from app_start */
    uint32_t data_start;     /* .data in RAM, offset from mem_start */
    uint32_t data_size;      /* bytes */
    uint32_t bss_start;      /* .bss in RAM, offset from mem_start */
    uint32_t bss_size;       /* bytes */
    uint32_t reldata_start;  /* relocation block appended by the packer, offset from app_start */
    uint32_t stack_size;     /* bytes (STACK_SIZE at link time) */
};

_Static_assert(sizeof(struct crt0_header) == 40, "the crt0 header is ten words");

/* The packer's relocation block: a byte length, then ELF Elf32_Rel pairs {r_offset, r_info};
 * r_offset is the RAM offset (from mem_start) of a word to fix up. */
struct reldata {
    uint32_t len;
    uint32_t entries[];
};

/* Macros, not objects: _c_start_pic must not load anything through the GOT before fixing it. */
#define FLASH_SENTINEL 0x80000000u /* userland_generic.ld links PIC flash at 0x80000000 */
#define R_ARM_ABS32 2u

void _start(void *app_start, void *mem_start, void *memory_len, void *app_heap_break)
    __attribute__((section(".start"), used, weak, naked, noreturn));

#if defined(__thumb__)

/*
 * SAFETY: naked, so no prologue touches the (possibly tiny) stack. r4-r7 survive the `svc`s
 * (the kernel saves r4-r11), r0-r3 are rewritten by each call. The first `svc` may push its
 * 32-byte exception frame at [mem_start, mem_start + 32), which the kernel makes accessible.
 */
void _start(void *app_start __attribute__((unused)), void *mem_start __attribute__((unused)),
            void *memory_len __attribute__((unused)),
            void *app_heap_break __attribute__((unused)))
{
    __asm__ volatile(
        "ldr   r4, [r0, #36]\n"  /* r4 = stack_size */
        "add   r4, r4, r1\n"     /* + mem_start */
        "adds  r4, r4, #7\n"
        "bic   r4, r4, #7\n"     /* r4 = stacktop, 8-byte aligned */
        "ldr   r5, [r0, #24]\n"  /* bss_start */
        "ldr   r6, [r0, #28]\n"  /* bss_size */
        "add   r5, r5, r6\n"
        "add   r5, r5, r1\n"     /* r5 = brk = mem_start + bss end */
        "mov   r6, r0\n"         /* r6 = app_start */
        "mov   r7, r1\n"         /* r7 = mem_start */
        "cmp   r5, r3\n"
        "bhi   1f\n"             /* brk above app_heap_break: keep the kernel's stack for now */
        "mov   sp, r4\n"
        "1:\n"
        "movs  r0, #0\n"         /* memop 0: brk */
        "mov   r1, r5\n"
        "svc   5\n"
        "cmp   r0, #128\n"       /* Success */
        "bne   2f\n"
        "mov   sp, r4\n"
        "movs  r0, #10\n"        /* memop 10: stack top (debug) */
        "mov   r1, r4\n"
        "svc   5\n"
        "movs  r0, #11\n"        /* memop 11: heap start (debug) */
        "mov   r1, r5\n"
        "svc   5\n"
        "ldr   r0, [r6, #4]\n"   /* got_start */
        "add   r0, r0, r7\n"
        "mov   r9, r0\n"         /* PIC base = GOT in RAM */
        "mov   r0, r6\n"
        "mov   r1, r7\n"
        "bl    _c_start_pic\n"
        "2:\n"
        "movs  r0, #0\n"         /* exit-terminate, completion code NOMEM */
        "movs  r1, #9\n"
        "svc   6\n"
        "b     2b\n");
}

#elif defined(__riscv)

/*
 * SAFETY: naked, so no prologue touches the stack, which is empty (SP = mem_start) until the
 * brk succeeds. s0-s3 survive the `ecall`s (the kernel restores everything but a0-a3).
 */
void _start(void *app_start __attribute__((unused)), void *mem_start __attribute__((unused)),
            void *memory_len __attribute__((unused)),
            void *app_heap_break __attribute__((unused)))
{
    __asm__ volatile(
        "lw    t0, 36(a0)\n"     /* stack_size */
        "add   t0, t0, a1\n"     /* + mem_start */
        "addi  t0, t0, 7\n"
        "andi  t0, t0, -8\n"     /* t0 = stacktop, 8-byte aligned */
        "lw    t1, 24(a0)\n"     /* bss_start */
        "lw    t2, 28(a0)\n"     /* bss_size */
        "add   t1, t1, t2\n"
        "add   t1, t1, a1\n"     /* t1 = brk = mem_start + bss end */
        "mv    s0, a0\n"         /* s0 = app_start */
        "mv    s1, a1\n"         /* s1 = mem_start */
        "mv    s2, t0\n"         /* s2 = stacktop */
        "mv    s3, t1\n"         /* s3 = brk */
        "bgtu  t1, a3, 1f\n"     /* brk above app_heap_break: keep the kernel's stack for now */
        "mv    sp, t0\n"
        "1:\n"
        "li    a0, 0\n"          /* memop 0: brk */
        "mv    a1, s3\n"
        "li    a4, 5\n"
        "ecall\n"
        "li    t0, 128\n"        /* Success */
        "bne   a0, t0, 2f\n"
        "mv    sp, s2\n"
        "li    a0, 10\n"         /* memop 10: stack top (debug) */
        "mv    a1, s2\n"
        "li    a4, 5\n"
        "ecall\n"
        "li    a0, 11\n"         /* memop 11: heap start (debug) */
        "mv    a1, s3\n"
        "li    a4, 5\n"
        "ecall\n"
        "mv    a0, s0\n"
        "mv    a1, s1\n"
        "jal   ra, _c_start_nopic\n"
        "2:\n"
        "li    a0, 0\n"          /* exit-terminate, completion code NOMEM */
        "li    a1, 9\n"
        "li    a4, 6\n"
        "ecall\n"
        "j     2b\n");
}

#else
#error "crt0.c supports Thumb (Cortex-M) and RISC-V only"
#endif

static void copy_bytes(uint32_t dst, uint32_t src, uint32_t len)
{
    /* SAFETY: dst and src come from the crt0 header: dst inside the RAM just granted by brk,
     * src inside the app's flash image. */
    volatile uint8_t *d = (volatile uint8_t *)(uintptr_t)dst;
    const uint8_t *s = (const uint8_t *)(uintptr_t)src;
    for (uint32_t i = 0; i < len; i++) {
        d[i] = s[i];
    }
}

static void zero_bytes(uint32_t dst, uint32_t len)
{
    /* SAFETY: dst from the crt0 header, inside the RAM just granted by brk. */
    volatile uint8_t *d = (volatile uint8_t *)(uintptr_t)dst;
    for (uint32_t i = 0; i < len; i++) {
        d[i] = 0;
    }
}

/* Each architecture's image holds only its own entry: a function the linker drops would still
 * have debug information at address 0, which confuses gdb's view of this file once the app's
 * flash sections are relocated below their link address (Cortex-M, make debug). */
#if defined(__thumb__)

void _c_start_pic(uint32_t app_start, uint32_t mem_start) __attribute__((noreturn, used));

static uint32_t relocate(uint32_t value, uint32_t app_start, uint32_t mem_start)
{
    if ((value & FLASH_SENTINEL) != 0) {
        return (value & ~FLASH_SENTINEL) + app_start;
    }
    return value + mem_start;
}

void _c_start_pic(uint32_t app_start, uint32_t mem_start)
{
    /* SAFETY: app_start is the kernel's arg0, the first byte of the binary = the crt0 header. */
    const struct crt0_header *hdr = (const struct crt0_header *)(uintptr_t)app_start;

    volatile uint32_t *got = (volatile uint32_t *)(uintptr_t)(mem_start + hdr->got_start);
    const uint32_t *got_image = (const uint32_t *)(uintptr_t)(app_start + hdr->got_sym_start);
    for (uint32_t i = 0; i < hdr->got_size / sizeof(uint32_t); i++) {
        /* A zero entry is an undefined weak symbol (RAM offset 0 is the stack): keep NULL. */
        got[i] = got_image[i] == 0 ? 0 : relocate(got_image[i], app_start, mem_start);
    }

    copy_bytes(mem_start + hdr->data_start, app_start + hdr->data_sym_start, hdr->data_size);
    zero_bytes(mem_start + hdr->bss_start, hdr->bss_size);

    const struct reldata *rel = (const struct reldata *)(uintptr_t)(app_start + hdr->reldata_start);
    uint32_t words = rel->len / sizeof(uint32_t);
    for (uint32_t i = 0; i + 1 < words; i += 2) {
        if ((rel->entries[i + 1] & 0xffu) != R_ARM_ABS32) {
            continue;
        }
        volatile uint32_t *target = (volatile uint32_t *)(uintptr_t)(mem_start + rel->entries[i]);
        *target = relocate(*target, app_start, mem_start);
    }

    exit(main());
}

#else

void _c_start_nopic(uint32_t app_start, uint32_t mem_start) __attribute__((noreturn, used));

void _c_start_nopic(uint32_t app_start, uint32_t mem_start)
{
    /* SAFETY: as in _c_start_pic. */
    const struct crt0_header *hdr = (const struct crt0_header *)(uintptr_t)app_start;

    copy_bytes(mem_start + hdr->got_start, app_start + hdr->got_sym_start, hdr->got_size);
    copy_bytes(mem_start + hdr->data_start, app_start + hdr->data_sym_start, hdr->data_size);
    zero_bytes(mem_start + hdr->bss_start, hdr->bss_size);

    exit(main());
}

#endif
