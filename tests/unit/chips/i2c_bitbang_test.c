/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the I2C bit-banging stepper (chips/sbcon/i2c_bitbang.c).
 *
 * A simulated slave sits on the two wires: the bus levels are the wired AND of what the master
 * (the stepper) and the slave drive. The slave detects START and STOP, shifts bits in on SCL
 * rising edges, drives its acknowledge and read data after SCL falling edges, and can stretch
 * the clock or hold SDA low. The harness checks, at every step, that the master changes at
 * most one line, and counts STARTs and STOPs so that a stray SDA change while SCL is high (a
 * protocol error) shows up.
 *
 * Usage: make build/host/i2c_bitbang_test (or `make unit` for every test).
 *
 * Invariants: each test starts from setup() with an idle stepper and a slave at 0x50 that
 * acknowledges everything and answers reads with 0xA5, 0x3C, 0x81, ...
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sbcon/i2c_bitbang.h"

enum slave_mode { SLAVE_IDLE, SLAVE_ADDRESS, SLAVE_WRITE, SLAVE_READ, SLAVE_IGNORE };

struct slave {
    /* configuration */
    bool is_present;
    uint8_t address;
    size_t accept_bytes;   /* written bytes acknowledged before it NACKs */
    uint8_t answer[4];     /* what reads return, cycled */
    unsigned stretch_each; /* hold SCL low this many evaluations after each release */
    bool is_holding_sda;   /* a stuck bus */
    /* what it saw */
    unsigned starts, stops;
    uint8_t address_bytes[4];
    size_t address_count;
    uint8_t received[16];
    size_t received_len;
    char master_acks[16]; /* 'A' or 'N' for each byte the master read */
    size_t master_ack_len;
    /* protocol state */
    enum slave_mode mode;
    bool is_ack_clock;  /* in the ninth clock of a byte */
    bool is_master_ack; /* ... of a byte the slave sent: the master acknowledges */
    unsigned bit;
    uint8_t shift;
    size_t answer_pos;
    bool sda_out; /* true: released */
    unsigned stretch_left;
    struct i2c_bitbang_lines master; /* what the master drove at the last evaluation */
    struct i2c_bitbang_lines bus;    /* the levels at the last evaluation */
};

static struct slave slave;
static struct i2c_bitbang b;
static uint8_t buf[16];
static size_t steps;

static void slave_init(struct slave *s)
{
    *s = (struct slave){
        .is_present = true,
        .address = 0x50,
        .accept_bytes = 100,
        .answer = { 0xA5, 0x3C, 0x81, 0x7E },
        .mode = SLAVE_IDLE,
        .sda_out = true,
        .master = { .scl = true, .sda = true },
        .bus = { .scl = true, .sda = true },
    };
}

static void drive_answer_bit(struct slave *s)
{
    s->sda_out = (s->shift & 0x80u) != 0;
    s->shift = (uint8_t)(s->shift << 1);
    s->bit++;
}

static void on_scl_rising(struct slave *s, bool sda)
{
    if (s->is_ack_clock) {
        if (s->is_master_ack) {
            s->master_acks[s->master_ack_len++] = sda ? 'N' : 'A';
            if (sda) {
                s->mode = SLAVE_IGNORE; /* the master wants no more */
            }
        }
        return;
    }
    if (s->mode == SLAVE_ADDRESS || s->mode == SLAVE_WRITE) {
        s->shift = (uint8_t)((s->shift << 1) | (sda ? 1u : 0u));
        s->bit++;
    }
}

static void on_scl_falling(struct slave *s)
{
    if (s->is_ack_clock) {
        s->is_ack_clock = false;
        s->is_master_ack = false;
        s->sda_out = true;
        if (s->mode == SLAVE_READ) {
            s->shift = s->answer[s->answer_pos++ % sizeof s->answer];
            s->bit = 0;
            drive_answer_bit(s);
        }
        return;
    }
    switch (s->mode) {
    case SLAVE_ADDRESS:
        if (s->bit == 8) {
            s->address_bytes[s->address_count++] = s->shift;
            bool is_mine = s->is_present && (s->shift >> 1) == s->address;
            s->mode = !is_mine ? SLAVE_IGNORE : (s->shift & 1u) ? SLAVE_READ : SLAVE_WRITE;
            s->sda_out = !is_mine;
            s->is_ack_clock = true;
            s->bit = 0;
            s->shift = 0;
        }
        break;
    case SLAVE_WRITE:
        if (s->bit == 8) {
            s->received[s->received_len++] = s->shift;
            s->sda_out = s->received_len > s->accept_bytes;
            if (s->received_len > s->accept_bytes) {
                s->mode = SLAVE_IGNORE;
            }
            s->is_ack_clock = true;
            s->bit = 0;
            s->shift = 0;
        }
        break;
    case SLAVE_READ:
        if (s->bit < 8) {
            drive_answer_bit(s);
        } else {
            s->sda_out = true; /* the master acknowledges */
            s->is_ack_clock = true;
            s->is_master_ack = true;
        }
        break;
    case SLAVE_IDLE:
    case SLAVE_IGNORE:
    default:
        break;
    }
}

/* The bus after the master drives `m`; the slave reacts to the edges it sees. */
static struct i2c_bitbang_lines evaluate(struct slave *s, struct i2c_bitbang_lines m)
{
    if (m.scl && !s->master.scl && s->stretch_each > 0) {
        s->stretch_left = s->stretch_each;
    }
    bool is_stretching = s->stretch_left > 0;
    if (is_stretching) {
        s->stretch_left--;
    }
    s->master = m;
    struct i2c_bitbang_lines bus = {
        .scl = m.scl && !is_stretching,
        .sda = m.sda && s->sda_out && !s->is_holding_sda,
    };
    struct i2c_bitbang_lines was = s->bus;
    if (was.scl && bus.scl && was.sda != bus.sda) {
        if (!bus.sda) {
            s->starts++;
            s->mode = SLAVE_ADDRESS;
            s->bit = 0;
            s->shift = 0;
            s->is_ack_clock = false;
        } else {
            s->stops++;
            s->mode = SLAVE_IDLE;
        }
        s->sda_out = true;
    } else if (!was.scl && bus.scl) {
        on_scl_rising(s, bus.sda);
    } else if (was.scl && !bus.scl) {
        on_scl_falling(s);
    }
    bus.sda = m.sda && s->sda_out && !s->is_holding_sda;
    s->bus = bus;
    return bus;
}

/* Step the transaction to its end; fails on more than one line change in a step. */
static void run(void)
{
    struct i2c_bitbang_lines bus = evaluate(&slave, b.lines);
    steps = 0;
    for (;;) {
        struct i2c_bitbang_lines before = b.lines;
        struct i2c_bitbang_lines out;
        bool is_running = i2c_bitbang_step(&b, bus, &out);
        steps++;
        if (is_running) {
            unsigned changes = (before.scl != out.scl) + (before.sda != out.sda);
            assert_true(changes <= 1);
        }
        bus = evaluate(&slave, out);
        if (!is_running) {
            assert_true(out.scl);
            assert_true(out.sda);
            return;
        }
        assert_true(steps < 10000);
    }
}

static int setup(void **state)
{
    (void)state;
    slave_init(&slave);
    i2c_bitbang_init(&b);
    memset(buf, 0, sizeof buf);
    return 0;
}

static void test_idle_stepper_keeps_bus_released(void **state)
{
    (void)state;
    struct i2c_bitbang_lines out = { .scl = false, .sda = false };
    assert_false(i2c_bitbang_step(&b, (struct i2c_bitbang_lines){ true, true }, &out));
    assert_true(out.scl);
    assert_true(out.sda);
}

static void test_write_to_absent_device_ends_noack_after_address(void **state)
{
    (void)state;
    slave.is_present = false;
    buf[0] = 0x12;
    i2c_bitbang_start(&b, 0x50, buf, 1, 0);
    run();
    assert_int_equal(b.status, ERR_NOACK);
    assert_int_equal(b.len, 0);
    assert_int_equal(slave.starts, 1);
    assert_int_equal(slave.stops, 1);
    assert_int_equal(slave.address_count, 1);
    assert_int_equal(slave.address_bytes[0], 0xA0); /* 0x50, write */
    assert_int_equal(slave.received_len, 0);
    assert_true(steps < 40); /* START, 9 clocks, STOP: bounded */
    assert_int_equal(b.step, I2C_BITBANG_IDLE);
}

static void test_write_sends_every_byte_msb_first(void **state)
{
    (void)state;
    const uint8_t data[3] = { 0x01, 0x80, 0x5A };
    memcpy(buf, data, sizeof data);
    i2c_bitbang_start(&b, 0x50, buf, 3, 0);
    run();
    assert_int_equal(b.status, ERR_OK);
    assert_int_equal(b.len, 3);
    assert_int_equal(slave.received_len, 3);
    assert_memory_equal(slave.received, data, 3);
    assert_int_equal(slave.starts, 1);
    assert_int_equal(slave.stops, 1);
}

static void test_read_receives_bytes_and_nacks_only_the_last(void **state)
{
    (void)state;
    i2c_bitbang_start(&b, 0x50, buf, 0, 3);
    run();
    assert_int_equal(b.status, ERR_OK);
    assert_int_equal(b.len, 3);
    assert_int_equal(buf[0], 0xA5);
    assert_int_equal(buf[1], 0x3C);
    assert_int_equal(buf[2], 0x81);
    assert_int_equal(slave.address_bytes[0], 0xA1); /* 0x50, read */
    slave.master_acks[slave.master_ack_len] = '\0';
    assert_string_equal(slave.master_acks, "AAN");
    assert_int_equal(slave.stops, 1);
}

static void test_write_read_uses_a_repeated_start(void **state)
{
    (void)state;
    buf[0] = 0x07; /* register number */
    i2c_bitbang_start(&b, 0x50, buf, 1, 2);
    run();
    assert_int_equal(b.status, ERR_OK);
    assert_int_equal(b.len, 2);
    assert_int_equal(slave.received_len, 1);
    assert_int_equal(slave.received[0], 0x07);
    assert_int_equal(buf[0], 0xA5);
    assert_int_equal(buf[1], 0x3C);
    assert_int_equal(slave.starts, 2); /* START, repeated START */
    assert_int_equal(slave.stops, 1);  /* one STOP, at the end */
    assert_int_equal(slave.address_bytes[0], 0xA0);
    assert_int_equal(slave.address_bytes[1], 0xA1);
}

static void test_data_nack_stops_the_write_and_counts_acknowledged_bytes(void **state)
{
    (void)state;
    slave.accept_bytes = 1;
    i2c_bitbang_start(&b, 0x50, buf, 3, 0);
    run();
    assert_int_equal(b.status, ERR_NOACK);
    assert_int_equal(b.len, 1);
    assert_int_equal(slave.received_len, 2); /* it heard the second byte and refused it */
    assert_int_equal(slave.stops, 1);
}

static void test_write_read_nack_in_write_half_reads_nothing(void **state)
{
    (void)state;
    slave.accept_bytes = 0;
    i2c_bitbang_start(&b, 0x50, buf, 1, 2);
    run();
    assert_int_equal(b.status, ERR_NOACK);
    assert_int_equal(b.len, 0);
    assert_int_equal(slave.starts, 1); /* no repeated START after the refusal */
}

static void test_read_from_absent_device_ends_noack(void **state)
{
    (void)state;
    slave.is_present = false;
    i2c_bitbang_start(&b, 0x21, buf, 0, 2);
    run();
    assert_int_equal(b.status, ERR_NOACK);
    assert_int_equal(b.len, 0);
    assert_int_equal(slave.address_bytes[0], 0x43);
}

static void test_clock_stretching_is_waited_for(void **state)
{
    (void)state;
    slave.stretch_each = 5;
    buf[0] = 0x42;
    i2c_bitbang_start(&b, 0x50, buf, 1, 1);
    run();
    assert_int_equal(b.status, ERR_OK);
    assert_int_equal(slave.received[0], 0x42);
    assert_int_equal(buf[0], 0xA5);
}

static void test_clock_held_low_forever_fails(void **state)
{
    (void)state;
    slave.stretch_each = I2C_BITBANG_STRETCH_STEPS + 10;
    i2c_bitbang_start(&b, 0x50, buf, 1, 0);
    run();
    assert_int_equal(b.status, ERR_FAIL);
    assert_int_equal(b.len, 0);
}

static void test_busy_bus_fails_before_start(void **state)
{
    (void)state;
    slave.is_holding_sda = true;
    slave.bus.sda = false; /* it was already held before the master looked */
    i2c_bitbang_start(&b, 0x50, buf, 1, 0);
    run();
    assert_int_equal(b.status, ERR_FAIL);
    assert_int_equal(slave.starts, 0);
    assert_int_equal(slave.address_count, 0);
}

static void test_transactions_run_back_to_back(void **state)
{
    (void)state;
    slave.is_present = false;
    i2c_bitbang_start(&b, 0x50, buf, 1, 0);
    run();
    assert_int_equal(b.status, ERR_NOACK);
    slave.is_present = true;
    buf[0] = 0x99;
    i2c_bitbang_start(&b, 0x50, buf, 1, 0);
    run();
    assert_int_equal(b.status, ERR_OK); /* no stale outcome from the first */
    assert_int_equal(b.len, 1);
    assert_int_equal(slave.starts, 2);
    assert_int_equal(slave.stops, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_idle_stepper_keeps_bus_released, setup),
        cmocka_unit_test_setup(test_write_to_absent_device_ends_noack_after_address, setup),
        cmocka_unit_test_setup(test_write_sends_every_byte_msb_first, setup),
        cmocka_unit_test_setup(test_read_receives_bytes_and_nacks_only_the_last, setup),
        cmocka_unit_test_setup(test_write_read_uses_a_repeated_start, setup),
        cmocka_unit_test_setup(test_data_nack_stops_the_write_and_counts_acknowledged_bytes,
                               setup),
        cmocka_unit_test_setup(test_write_read_nack_in_write_half_reads_nothing, setup),
        cmocka_unit_test_setup(test_read_from_absent_device_ends_noack, setup),
        cmocka_unit_test_setup(test_clock_stretching_is_waited_for, setup),
        cmocka_unit_test_setup(test_clock_held_low_forever_fails, setup),
        cmocka_unit_test_setup(test_busy_bus_fails_before_start, setup),
        cmocka_unit_test_setup(test_transactions_run_back_to_back, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
