/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * NOINIT: place a static object in .noinit, memory the startup code neither copies nor zeroes
 * (the boards' layout.ld put it after .bss). For large buffers whose owner writes every byte
 * before reading it (the debug ring, a RAM flash model, the process table that kernel_init
 * fills), so that boot does not spend time zeroing them.
 *
 * Usage: static NOINIT char ring[8192];
 *
 * Invariant: nothing reads a NOINIT object before its owner initialised it; the host build
 * (TOCKC_HOST_TEST) has no such section and leaves the objects in .bss.
 */
#pragma once

#ifdef TOCKC_HOST_TEST
#define NOINIT
#else
#define NOINIT __attribute__((section(".noinit")))
#endif
