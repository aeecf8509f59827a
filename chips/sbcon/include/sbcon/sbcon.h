/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * ARM SBCon two-wire interface (the I2C controllers of the MPS2 boards) behind the I2C HIL.
 *
 * SBCon is not an I2C controller but two open-drain lines under software control: writing 1s
 * to CONTROL_SET releases SCL (bit 0) and/or SDA (bit 1), writing 1s to CONTROL_CLEAR pulls
 * them low, and reading CONTROL returns the levels on the bus. The driver runs the I2C protocol
 * with the i2c_bitbang stepper from a deferred call, `steps_per_call` line changes at a time,
 * and sets the deferred call again until the transaction is over; so it never blocks, and the
 * completion is always delivered from the deferred call, never inside the call that started
 * the transaction. The bus runs as fast as the kernel loop steps it, which suits QEMU's model
 * (it has no timing). On a real board the half-bit time must respect the devices (5 us at
 * 100 kHz): step from an alarm there instead. While a transaction runs, its deferred call keeps
 * the kernel loop busy, so processes wait for it (a few dozen steps per byte).
 *
 * QEMU's mps2-an385 has four SBCon controllers (0x40022000, 0x40023000, 0x40029000,
 * 0x4002A000) with nothing attached, so every transaction there ends with ERR_NOACK.
 *
 * Usage (board):
 *     static struct sbcon_i2c sbcon0;
 *     boot_check(sbcon_i2c_init(&sbcon0, MPS2_SBCON0_BASE, 8), "sbcon0");
 *     boot_check(mux_i2c_init(&i2c_mux, &sbcon0.i2c), "i2c mux");
 *
 * Invariants: is_busy iff a transaction was accepted and its command_done is still due; then
 * the deferred call `step` is set. Outside a transaction both lines are released.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"
#include "hil/i2c.h"
#include "kernel/deferred_call.h"
#include "sbcon/i2c_bitbang.h"

struct sbcon_registers {
    volatile uint32_t control;       /* read: bus levels; write: 1s release (set) lines */
    volatile uint32_t control_clear; /* write: 1s pull lines low */
};

struct sbcon_i2c {
    struct hil_i2c_master i2c;
    struct sbcon_registers *regs;
    struct i2c_bitbang bitbang;
    uint32_t steps_per_call;
    bool is_busy;
    uint8_t *buf; /* the transaction's buffer, owned here while is_busy */
    struct deferred_call step;
};

/**
 * Boot only: drive the controller at `base`, `steps_per_call` line changes per deferred call
 * (at least 1), release both lines and register the deferred call.
 * Returns ERR_OK, ERR_INVAL (steps_per_call 0) or ERR_NOMEM (no deferred-call slot).
 */
MUST_CHECK err_t sbcon_i2c_init(struct sbcon_i2c *sbcon, uintptr_t base, uint32_t steps_per_call);
