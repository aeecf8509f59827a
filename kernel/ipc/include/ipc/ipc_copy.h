/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Copying a message between two processes' allowed buffers: the message IPC (ipc_msg*.c) and
 * the message queues (ipc_queue.c) share it.
 *
 * Invariants: the two ranges are in different processes' memory, so they never overlap.
 */
#pragma once

#include <stdint.h>

/* A word of process memory, read or written as part of a copy of bytes. */
typedef uint32_t __attribute__((may_alias)) ipc_copy_word;

/* Copy len bytes (a message: at most IPC_MAX_MSG) word by word when both ends are aligned,
 * then the remaining bytes, inline (a call to memcpy costs more than the copy).
 * SAFETY: the caller passes ranges inside buffers their live processes currently allow, each
 * checked at allow time against that process's memory; the word accesses are aligned
 * (checked) and inside the same ranges. */
static inline __attribute__((always_inline)) void ipc_copy_message(uint32_t dst, uint32_t src,
                                                                  uint32_t len)
{
    uint32_t i = 0;
    if (((dst | src) & 3u) == 0) {
        for (; len - i >= 4u; i += 4u) {
            *(ipc_copy_word *)(uintptr_t)(dst + i) = *(const ipc_copy_word *)(uintptr_t)(src + i);
        }
    }
    for (; i < len; i++) {
        *(uint8_t *)(uintptr_t)(dst + i) = *(const uint8_t *)(uintptr_t)(src + i);
    }
}
