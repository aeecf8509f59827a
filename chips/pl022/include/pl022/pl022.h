/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * ARM PrimeCell PL022 synchronous serial port as an SPI master, behind the SPI HIL.
 *
 * Motorola SPI frames of 8 bits, one chip select (the controller's own SSPFSSOUT, number 0).
 * The driver uses no interrupt: a transfer is pumped from a deferred call, which moves bytes
 * between the buffers and the 8-entry FIFOs and sets itself again until every byte has come
 * back, so completion is always delivered from the deferred call, never inside read_write().
 * At most PL022_BYTES_PER_CALL bytes move per deferred call, bounding the time taken from the
 * kernel loop.
 *
 * PL022_LOOPBACK sets the controller's test mode (CR1.LBM): the transmit shifter feeds the
 * receive shifter, so every transfer receives what it sent without any device attached. QEMU's
 * mps2-an385 has five PL022s (0x40020000, 0x40021000, 0x40025000, 0x40026000, 0x40027000)
 * with no devices on their buses; the board uses loopback there to exercise real transfers.
 *
 * Usage (board):
 *     static struct pl022 ssp0;
 *     boot_check(pl022_init(&ssp0, MPS2_SSP0_BASE, MPS2_CLOCK_HZ, PL022_LOOPBACK), "ssp0");
 *     boot_check(mux_spi_init(&spi_mux, &ssp0.spi), "spi mux");
 *
 * Invariants: tx != NULL iff a transfer is outstanding; then the deferred call `pump` is set and
 * the port is enabled (CR1.SSE), otherwise it is disabled. received <= sent <= len and
 * sent - received <= PL022_FIFO_DEPTH.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "errorcode.h"
#include "hil/spi.h"
#include "kernel/deferred_call.h"

#define PL022_FIFO_DEPTH 8u
#define PL022_BYTES_PER_CALL 64u

enum pl022_mode {
    PL022_NORMAL,   /* frames go out on the pins */
    PL022_LOOPBACK, /* test mode: what is sent is received */
};

struct pl022_registers {
    volatile uint32_t cr0;  /* frame format, clock phase/polarity, serial clock rate */
    volatile uint32_t cr1;  /* loopback, enable, master/slave */
    volatile uint32_t dr;   /* FIFO data */
    volatile uint32_t sr;   /* FIFO status, busy */
    volatile uint32_t cpsr; /* clock prescale divisor */
    volatile uint32_t imsc; /* interrupt masks */
    volatile uint32_t ris;
    volatile uint32_t mis;
    volatile uint32_t icr;
    volatile uint32_t dmacr;
};

struct pl022 {
    struct hil_spi_master spi;
    struct pl022_registers *regs;
    uint32_t clock_hz;
    uint32_t cr1_mode; /* CR1 bits kept while enabling and disabling (loopback) */
    uint32_t rate_hz;  /* the rate last asked for, whose divisors are programmed */
    uint8_t *tx;       /* the outstanding transfer, owned here */
    uint8_t *rx;
    size_t len;
    size_t sent;
    size_t received;
    struct deferred_call pump;
};

/**
 * Boot only: set up the controller at `base`, clocked at clock_hz, as a disabled 8-bit SPI
 * master with chip select 0, clock idle low, sampling on the leading edge, at the fastest rate
 * not above 1 MHz; register the deferred call.
 * Returns ERR_OK, ERR_INVAL (clock_hz is 0) or ERR_NOMEM (no deferred-call slot).
 */
MUST_CHECK err_t pl022_init(struct pl022 *ssp, uintptr_t base, uint32_t clock_hz,
                            enum pl022_mode mode);
