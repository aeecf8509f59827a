/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * ARM SBCon I2C driver (see sbcon/sbcon.h): the i2c_bitbang stepper applied to two registers.
 *
 * Each step reads the bus levels, asks the stepper for the next levels, and writes only the
 * lines that change (rising ones to CONTROL_SET, falling ones to CONTROL_CLEAR).
 *
 * Usage: see sbcon/sbcon.h.
 *
 * Invariants: see sbcon/sbcon.h.
 */
#include "sbcon/sbcon.h"

#include "container.h"

#define SBCON_SCL 0x1u
#define SBCON_SDA 0x2u

_Static_assert(offsetof(struct sbcon_registers, control_clear) == 0x4, "SBCon layout");

static struct i2c_bitbang_lines read_bus(struct sbcon_i2c *sbcon)
{
    uint32_t levels = sbcon->regs->control;
    return (struct i2c_bitbang_lines){ .scl = (levels & SBCON_SCL) != 0,
                                       .sda = (levels & SBCON_SDA) != 0 };
}

static uint32_t mask_of(struct i2c_bitbang_lines lines)
{
    return (lines.scl ? SBCON_SCL : 0u) | (lines.sda ? SBCON_SDA : 0u);
}

/* Drive `next` after `now`: release the lines that rise, pull those that fall. */
static void drive(struct sbcon_i2c *sbcon, struct i2c_bitbang_lines now,
                  struct i2c_bitbang_lines next)
{
    uint32_t before = mask_of(now);
    uint32_t after = mask_of(next);
    uint32_t rising = after & ~before;
    uint32_t falling = before & ~after;
    if (rising != 0) {
        sbcon->regs->control = rising;
    }
    if (falling != 0) {
        sbcon->regs->control_clear = falling;
    }
}

static void step(void *ctx)
{
    struct sbcon_i2c *sbcon = ctx;
    for (uint32_t i = 0; i < sbcon->steps_per_call; i++) {
        struct i2c_bitbang_lines now = sbcon->bitbang.lines;
        struct i2c_bitbang_lines next;
        bool is_running = i2c_bitbang_step(&sbcon->bitbang, read_bus(sbcon), &next);
        drive(sbcon, now, next);
        if (!is_running) {
            uint8_t *buf = sbcon->buf;
            sbcon->buf = NULL;
            sbcon->is_busy = false; /* the client may start the next one from its callback */
            hil_i2c_command_done(&sbcon->i2c, buf, sbcon->bitbang.len, sbcon->bitbang.status);
            return;
        }
    }
    deferred_call_set(&sbcon->step); /* more to do: continue on the next kernel-loop round */
}

static err_t start(struct sbcon_i2c *sbcon, uint8_t address, uint8_t *buf, size_t write_len,
                   size_t read_len, bool is_write, bool is_read)
{
    if (sbcon->is_busy) {
        return ERR_BUSY;
    }
    if (address > HIL_I2C_ADDRESS_MAX) {
        return ERR_INVAL;
    }
    if (buf == NULL || (is_write && write_len == 0) || (is_read && read_len == 0)) {
        return ERR_SIZE;
    }
    sbcon->is_busy = true;
    sbcon->buf = buf;
    i2c_bitbang_start(&sbcon->bitbang, address, buf, is_write ? write_len : 0,
                      is_read ? read_len : 0);
    deferred_call_set(&sbcon->step);
    return ERR_OK;
}

static err_t i2c_write(struct hil_i2c_master *i2c, uint8_t address, uint8_t *buf, size_t len)
{
    return start(CONTAINER_OF(i2c, struct sbcon_i2c, i2c), address, buf, len, 0, true, false);
}

static err_t i2c_read(struct hil_i2c_master *i2c, uint8_t address, uint8_t *buf, size_t len)
{
    return start(CONTAINER_OF(i2c, struct sbcon_i2c, i2c), address, buf, 0, len, false, true);
}

static err_t i2c_write_read(struct hil_i2c_master *i2c, uint8_t address, uint8_t *buf,
                        size_t write_len, size_t read_len)
{
    return start(CONTAINER_OF(i2c, struct sbcon_i2c, i2c), address, buf, write_len, read_len,
                 true, true);
}

static const struct hil_i2c_master_ops sbcon_i2c_ops = {
    .write = i2c_write,
    .read = i2c_read,
    .write_read = i2c_write_read,
};

err_t sbcon_i2c_init(struct sbcon_i2c *sbcon, uintptr_t base, uint32_t steps_per_call)
{
    if (steps_per_call == 0) {
        return ERR_INVAL;
    }
    *sbcon = (struct sbcon_i2c){
        .i2c = { .ops = &sbcon_i2c_ops, .client = NULL },
        /* SAFETY: base is the board's address of this SBCon's register block. */
        .regs = (struct sbcon_registers *)base,
        .steps_per_call = steps_per_call,
        .is_busy = false,
        .buf = NULL,
    };
    i2c_bitbang_init(&sbcon->bitbang);
    sbcon->regs->control = SBCON_SCL | SBCON_SDA;
    return deferred_call_register(&sbcon->step, step, sbcon);
}
