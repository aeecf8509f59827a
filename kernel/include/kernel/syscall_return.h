/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Syscall return values: the TRD104 variants and their register encoding.
 *
 * A result is a struct syscall_return built with one of the constructors below; syscall_reply()
 * (a driver's command) or the arch layer (the kernel's own classes) writes exactly the registers
 * its variant uses (ABI §1.3: unused return registers keep the process's values).
 */
#pragma once

#include <stdint.h>

#include "errorcode.h"

enum syscall_variant {
    SYSCALL_FAILURE = 0,
    SYSCALL_FAILURE_U32 = 1,
    SYSCALL_FAILURE_2U32 = 2,
    SYSCALL_FAILURE_U64 = 3,
    SYSCALL_SUCCESS = 128,
    SYSCALL_SUCCESS_U32 = 129,
    SYSCALL_SUCCESS_2U32 = 130,
    SYSCALL_SUCCESS_U64 = 131,
    SYSCALL_SUCCESS_3U32 = 132,
    SYSCALL_SUCCESS_U32_U64 = 133,
};

/* Built only with the constructors below, which fill `used` (so the encoding is a copy). */
struct syscall_return {
    uint8_t variant; /* enum syscall_variant */
    uint8_t used;    /* value registers after r0 that the variant defines */
    uint32_t values[3]; /* error code first for failures; u64s as low word then high word */
};

/* Registers to write back: regs[0..count). */
struct syscall_registers {
    uint32_t regs[4];
    uint32_t count;
};

static inline struct syscall_return syscall_success(void)
{
    return (struct syscall_return){ .variant = SYSCALL_SUCCESS, .used = 0,
                                    .values = { 0, 0, 0 } };
}
static inline struct syscall_return syscall_success_u32(uint32_t value)
{
    return (struct syscall_return){ .variant = SYSCALL_SUCCESS_U32, .used = 1,
                                    .values = { value, 0, 0 } };
}
static inline struct syscall_return syscall_success_2u32(uint32_t first, uint32_t second)
{
    return (struct syscall_return){ .variant = SYSCALL_SUCCESS_2U32, .used = 2,
                                    .values = { first, second, 0 } };
}
static inline struct syscall_return syscall_success_u64(uint64_t value)
{
    return (struct syscall_return){ .variant = SYSCALL_SUCCESS_U64, .used = 2,
                                    .values = { (uint32_t)value, (uint32_t)(value >> 32), 0 } };
}
static inline struct syscall_return syscall_success_3u32(uint32_t a, uint32_t b, uint32_t c)
{
    return (struct syscall_return){ .variant = SYSCALL_SUCCESS_3U32, .used = 3,
                                    .values = { a, b, c } };
}
static inline struct syscall_return syscall_success_u32_u64(uint32_t a, uint64_t b)
{
    return (struct syscall_return){ .variant = SYSCALL_SUCCESS_U32_U64, .used = 3,
                                    .values = { a, (uint32_t)b, (uint32_t)(b >> 32) } };
}
static inline struct syscall_return syscall_failure(err_t err)
{
    return (struct syscall_return){ .variant = SYSCALL_FAILURE, .used = 1,
                                    .values = { (uint32_t)err, 0, 0 } };
}
static inline struct syscall_return syscall_failure_u32(err_t err, uint32_t value)
{
    return (struct syscall_return){ .variant = SYSCALL_FAILURE_U32, .used = 2,
                                    .values = { (uint32_t)err, value, 0 } };
}
static inline struct syscall_return syscall_failure_2u32(err_t err, uint32_t a, uint32_t b)
{
    return (struct syscall_return){ .variant = SYSCALL_FAILURE_2U32, .used = 3,
                                    .values = { (uint32_t)err, a, b } };
}
static inline struct syscall_return syscall_failure_u64(err_t err, uint64_t value)
{
    return (struct syscall_return){ .variant = SYSCALL_FAILURE_U64, .used = 3,
                                    .values = { (uint32_t)err, (uint32_t)value,
                                                (uint32_t)(value >> 32) } };
}
/* Success with no value when err is ERR_OK, otherwise Failure(err). */
static inline struct syscall_return syscall_from_err(err_t err)
{
    return err == ERR_OK ? syscall_success() : syscall_failure(err);
}

/* r0 = variant, then as many value registers as the variant defines. Inline: it is on every
 * syscall's return path, and the struct copies vanish when the compiler sees both sides. */
static inline __attribute__((always_inline)) struct syscall_registers
syscall_return_encode(struct syscall_return ret)
{
    struct syscall_registers out = {
        .regs = { ret.variant, ret.values[0], ret.values[1], ret.values[2] },
        .count = 1u + ret.used,
    };
    return out;
}

/* Write regs into the four return registers at out: r0, then only the value registers the
 * variant defines (the others keep the process's values). The arches' arch_set_syscall_return
 * point it at wherever they keep r0-r3 / a0-a3. */
static inline __attribute__((always_inline)) void
syscall_registers_store(uint32_t *out, const struct syscall_registers *regs)
{
    uint32_t count = regs->count;
    out[0] = regs->regs[0];
    if (count > 1u) {
        out[1] = regs->regs[1];
    }
    if (count > 2u) {
        out[2] = regs->regs[2];
    }
    if (count > 3u) {
        out[3] = regs->regs[3];
    }
}

/* Write ret into the process's four return registers at regs (r0-r3 / a0-a3 where the arch keeps
 * them). Inline: with a constructor as argument it is one store per register the variant uses. */
static inline __attribute__((always_inline)) void syscall_reply(uint32_t *regs,
                                                                struct syscall_return ret)
{
    struct syscall_registers encoded = syscall_return_encode(ret);
    syscall_registers_store(regs, &encoded);
}
