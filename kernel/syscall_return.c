/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Encoding of syscall return variants into registers (spec §1.3).
 */
#include "kernel/syscall_return.h"

static uint32_t value_count(enum syscall_variant variant)
{
    switch (variant) {
    case SYSCALL_FAILURE:
    case SYSCALL_SUCCESS_U32:
        return 1;
    case SYSCALL_FAILURE_U32:
    case SYSCALL_SUCCESS_2U32:
    case SYSCALL_SUCCESS_U64:
        return 2;
    case SYSCALL_FAILURE_2U32:
    case SYSCALL_FAILURE_U64:
    case SYSCALL_SUCCESS_3U32:
    case SYSCALL_SUCCESS_U32_U64:
        return 3;
    case SYSCALL_SUCCESS:
        return 0;
    }
    return 0;
}

struct syscall_registers syscall_return_encode(struct syscall_return ret)
{
    struct syscall_registers out = { .regs = { (uint32_t)ret.variant, 0, 0, 0 }, .count = 1 };
    uint32_t n = value_count(ret.variant);
    for (uint32_t i = 0; i < n; i++) {
        out.regs[1 + i] = ret.values[i];
    }
    out.count = 1 + n;
    return out;
}
