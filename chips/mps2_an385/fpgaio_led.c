/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The mps2 FPGA-IO LED register (offset 0, bit i = LED i) behind the LED HIL.
 */
#include "container.h"
#include "mps2/an385.h"

static volatile uint32_t *led_register(void)
{
    /* SAFETY: the FPGA-IO block of mps2-an385; LED0 register at offset 0. */
    return (volatile uint32_t *)MPS2_FPGAIO_BASE;
}

static uint32_t mask_of(struct hil_led *l)
{
    return CONTAINER_OF(l, struct mps2_fpgaio_led, led)->mask;
}

static void on(struct hil_led *l)
{
    *led_register() |= mask_of(l);
}

static void off(struct hil_led *l)
{
    *led_register() &= ~mask_of(l);
}

static void toggle(struct hil_led *l)
{
    *led_register() ^= mask_of(l);
}

static bool read(struct hil_led *l)
{
    return (*led_register() & mask_of(l)) != 0;
}

static const struct hil_led_ops ops = { .on = on, .off = off, .toggle = toggle, .read = read };

void mps2_fpgaio_led_init(struct mps2_fpgaio_led *led, uint32_t index)
{
    *led = (struct mps2_fpgaio_led){ .led = { .ops = &ops }, .mask = 1u << index };
}
