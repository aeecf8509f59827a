/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Kernel output in pieces of any length (debug.h, debug_take_lines): for kernels with nothing
 * that answers on the console between the apps' lines (CONFIG=core: no process console), a take
 * is a plain debug_take, which saves the line search.
 *
 * Usage: linked by CONFIG=core (boards/boards.mk).
 */
#include "kernel/debug.h"

size_t debug_take_lines(uint8_t *dst, size_t max)
{
    return debug_take(dst, max);
}
