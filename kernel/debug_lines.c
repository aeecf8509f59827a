/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Kernel output in whole lines (debug.h, debug_take_lines): a take ends at the last line end
 * that fits when more is pending, so the UART mux, which serves each transmission whole, puts
 * other clients' output (the apps' lines) between kernel lines, never inside one.
 *
 * Usage: linked by the full kernel (boards/boards.mk); the debug writer takes with it.
 */
#include "kernel/debug.h"

size_t debug_take_lines(uint8_t *dst, size_t max)
{
    size_t whole = debug_whole_lines(max);
    return debug_take(dst, whole > 0 ? whole : max);
}
