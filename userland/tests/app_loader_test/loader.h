/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The app loader's syscalls (driver 0x10001, capsules/app_loader.h) as the loader tests use
 * them: a command's status (0 for success), and waiting for one of its upcalls.
 *
 * Usage: int st = loader_command(LOADER_SETUP, size, 0); loader_wait(LOADER_UPCALL_SETUP).
 *
 * Invariants: none.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define LOADER_DRIVER 0x10001u
#define LOADER_SETUP 1u
#define LOADER_WRITE 2u
#define LOADER_FINALIZE 3u
#define LOADER_LOAD 4u
#define LOADER_ABORT 5u
#define LOADER_UPCALL_SETUP 0u
#define LOADER_UPCALL_WRITE 1u
#define LOADER_UPCALL_FINALIZE 2u
#define LOADER_UPCALL_LOAD 3u
#define LOADER_UPCALL_ABORT 4u
#define LOADER_CHUNK 512u
#define LOADER_BIG_CHUNK 4096u /* libtock-c's libtock-sync loader's chunk */

/* 0 on success, else the failure's status code (TOCK_STATUSCODE_*). */
int loader_command(uint32_t num, uint32_t arg0, uint32_t arg1);
/* The status (first argument) of the next upcall `upcall` of the driver. */
int loader_wait(uint32_t upcall);
/* Write size bytes of image in `chunk`-byte writes (at most LOADER_BIG_CHUNK) through a RAM
 * copy; the byte at `flip` (if below size) is inverted on the way; with `pad` the last write
 * is a whole chunk padded with zeros, as libtock-c's loaders send it. 0, or the first failing
 * status. */
int loader_write_image(const uint8_t *image, uint32_t size, uint32_t flip, uint32_t chunk,
                       bool pad);
