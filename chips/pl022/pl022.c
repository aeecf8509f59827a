/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * ARM PL022 SPI master driver (see pl022/pl022.h).
 *
 * The serial clock is clock_hz / (CPSDVSR * (1 + SCR)) with CPSDVSR even in 2..254 and SCR in
 * 0..255; set_rate picks the pair with the smallest product that does not exceed the rate
 * asked for. Configuration registers are written only while the port is disabled (between
 * transfers), as the PL022 manual asks.
 *
 * Usage: see pl022/pl022.h.
 *
 * Invariants: see pl022/pl022.h.
 */
#include "pl022/pl022.h"

#include <stdbool.h>

#include "container.h"

#define CR0_DSS_8BIT 0x7u
#define CR0_SPO 0x40u
#define CR0_SPH 0x80u
#define CR0_SCR_SHIFT 8u
#define CR0_SCR_MASK 0xFF00u
#define CR1_LBM 0x1u
#define CR1_SSE 0x2u
#define SR_TNF 0x2u
#define SR_RNE 0x4u
#define CPSDVSR_MIN 2u
#define CPSDVSR_MAX 254u
#define SCR_STEPS 256u
#define INIT_RATE_HZ 1000000u

_Static_assert(offsetof(struct pl022_registers, sr) == 0x0C, "PL022 layout");
_Static_assert(offsetof(struct pl022_registers, dmacr) == 0x24, "PL022 layout");

static bool is_busy(const struct pl022 *ssp)
{
    return ssp->tx != NULL;
}

static err_t set_chip_select(struct hil_spi_master *spi, uint32_t chip_select)
{
    struct pl022 *ssp = CONTAINER_OF(spi, struct pl022, spi);
    if (is_busy(ssp)) {
        return ERR_BUSY;
    }
    return chip_select == 0 ? ERR_OK : ERR_INVAL; /* only its own frame select line */
}

static err_t program_rate(struct pl022 *ssp, uint32_t rate_hz)
{
    if (rate_hz == 0) {
        return ERR_INVAL;
    }
    uint32_t needed = ssp->clock_hz / rate_hz + (ssp->clock_hz % rate_hz != 0 ? 1u : 0u);
    uint32_t best_product = 0;
    uint32_t best_prescale = 0;
    uint32_t best_scr = 0;
    for (uint32_t prescale = CPSDVSR_MIN; prescale <= CPSDVSR_MAX; prescale += 2) {
        uint32_t steps = needed / prescale + (needed % prescale != 0 ? 1u : 0u);
        if (steps == 0) {
            steps = 1;
        }
        if (steps > SCR_STEPS) {
            continue;
        }
        uint32_t product = prescale * steps;
        if (best_product == 0 || product < best_product) {
            best_product = product;
            best_prescale = prescale;
            best_scr = steps - 1;
        }
    }
    if (best_product == 0) {
        return ERR_INVAL; /* slower than the controller can clock */
    }
    ssp->regs->cpsr = best_prescale;
    ssp->regs->cr0 = (ssp->regs->cr0 & ~CR0_SCR_MASK) | (best_scr << CR0_SCR_SHIFT);
    ssp->rate_hz = rate_hz;
    return ERR_OK;
}

static err_t set_rate(struct hil_spi_master *spi, uint32_t rate_hz)
{
    struct pl022 *ssp = CONTAINER_OF(spi, struct pl022, spi);
    if (is_busy(ssp)) {
        return ERR_BUSY;
    }
    if (rate_hz == ssp->rate_hz) {
        return ERR_OK; /* the mux sets it before every transfer: skip the search */
    }
    return program_rate(ssp, rate_hz);
}

static err_t set_cr0_bit(struct pl022 *ssp, uint32_t bit, bool is_set)
{
    if (is_busy(ssp)) {
        return ERR_BUSY;
    }
    uint32_t cr0 = ssp->regs->cr0;
    ssp->regs->cr0 = is_set ? (cr0 | bit) : (cr0 & ~bit);
    return ERR_OK;
}

static err_t set_polarity(struct hil_spi_master *spi, enum hil_spi_polarity polarity)
{
    struct pl022 *ssp = CONTAINER_OF(spi, struct pl022, spi);
    if (polarity != HIL_SPI_IDLE_LOW && polarity != HIL_SPI_IDLE_HIGH) {
        return ERR_INVAL;
    }
    return set_cr0_bit(ssp, CR0_SPO, polarity == HIL_SPI_IDLE_HIGH);
}

static err_t set_phase(struct hil_spi_master *spi, enum hil_spi_phase phase)
{
    struct pl022 *ssp = CONTAINER_OF(spi, struct pl022, spi);
    if (phase != HIL_SPI_SAMPLE_LEADING && phase != HIL_SPI_SAMPLE_TRAILING) {
        return ERR_INVAL;
    }
    return set_cr0_bit(ssp, CR0_SPH, phase == HIL_SPI_SAMPLE_TRAILING);
}

static err_t read_write(struct hil_spi_master *spi, uint8_t *tx, uint8_t *rx, size_t len)
{
    struct pl022 *ssp = CONTAINER_OF(spi, struct pl022, spi);
    if (is_busy(ssp)) {
        return ERR_BUSY;
    }
    if (tx == NULL || len == 0) {
        return ERR_SIZE;
    }
    while ((ssp->regs->sr & SR_RNE) != 0) {
        (void)ssp->regs->dr; /* nothing stale may be taken for this transfer's bytes */
    }
    ssp->tx = tx;
    ssp->rx = rx;
    ssp->len = len;
    ssp->sent = 0;
    ssp->received = 0;
    ssp->regs->cr1 = ssp->cr1_mode | CR1_SSE;
    deferred_call_set(&ssp->pump);
    return ERR_OK;
}

/* Move what the FIFOs allow; true if anything moved. */
static bool move_bytes(struct pl022 *ssp)
{
    bool is_moved = false;
    while (ssp->received < ssp->sent && (ssp->regs->sr & SR_RNE) != 0) {
        uint8_t byte = (uint8_t)ssp->regs->dr;
        if (ssp->rx != NULL) {
            ssp->rx[ssp->received] = byte;
        }
        ssp->received++;
        is_moved = true;
    }
    while (ssp->sent < ssp->len && ssp->sent - ssp->received < PL022_FIFO_DEPTH &&
           (ssp->regs->sr & SR_TNF) != 0) {
        ssp->regs->dr = ssp->tx[ssp->sent++];
        is_moved = true;
    }
    return is_moved;
}

static void pump(void *ctx)
{
    struct pl022 *ssp = ctx;
    size_t budget_end = ssp->received + PL022_BYTES_PER_CALL;
    while (ssp->received < ssp->len && ssp->received < budget_end && move_bytes(ssp)) {
    }
    if (ssp->received < ssp->len) {
        deferred_call_set(&ssp->pump); /* the bus is slower than we are: look again later */
        return;
    }
    ssp->regs->cr1 = ssp->cr1_mode;
    uint8_t *tx = ssp->tx;
    uint8_t *rx = ssp->rx;
    size_t len = ssp->len;
    ssp->tx = NULL;
    ssp->rx = NULL;
    hil_spi_read_write_done(&ssp->spi, tx, rx, len, ERR_OK);
}

static const struct hil_spi_master_ops pl022_spi_ops = {
    .read_write = read_write,
    .set_chip_select = set_chip_select,
    .set_rate = set_rate,
    .set_polarity = set_polarity,
    .set_phase = set_phase,
};

err_t pl022_init(struct pl022 *ssp, uintptr_t base, uint32_t clock_hz, enum pl022_mode mode)
{
    *ssp = (struct pl022){
        .spi = { .ops = &pl022_spi_ops, .client = NULL },
        /* SAFETY: base is the board's address of this PL022's register block. */
        .regs = (struct pl022_registers *)base,
        .clock_hz = clock_hz,
        .cr1_mode = mode == PL022_LOOPBACK ? CR1_LBM : 0u,
        .rate_hz = 0,
        .tx = NULL,
        .rx = NULL,
    };
    ssp->regs->cr1 = ssp->cr1_mode; /* disabled, master */
    ssp->regs->imsc = 0;
    ssp->regs->dmacr = 0;
    ssp->regs->cr0 = CR0_DSS_8BIT; /* Motorola frames, CPOL 0, CPHA 0 */
    err_t err = program_rate(ssp, INIT_RATE_HZ < clock_hz ? INIT_RATE_HZ : clock_hz);
    if (err != ERR_OK) {
        return err;
    }
    return deferred_call_register(&ssp->pump, pump, ssp);
}
