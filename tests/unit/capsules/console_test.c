/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the console syscall driver (capsules/core/console.c).
 *
 * The console talks straight to a fake UART (8-byte staging buffer, so writes are chunked, and
 * a 16-byte receive buffer) with fake grants and processes; one test runs it through the real
 * UART mux instead.
 *
 * Usage: make build/host/console_test (or `make unit` for every test).
 *
 * Invariants: each test starts from setup() with no processes and an idle UART.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "driver_command.h"

#include "capsules/console.h"
#include "capsules/driver_num.h"
#include "capsules/virtual_uart.h"
#include "fake_grant.h"
#include "fake_uart.h"
#include "kernel/deferred_call.h"

#define TX_LEN 8u
#define RX_LEN 16u

static struct fake_uart hw;
static struct console console;
static uint8_t tx_buf[TX_LEN];
static uint8_t rx_buf[RX_LEN];

static int setup(void **state)
{
    (void)state;
    deferred_call_reset_for_test();
    fake_grant_reset();
    fake_uart_init(&hw);
    assert_int_equal(console_init(&console, &hw.tx, &hw.rx, tx_buf, sizeof tx_buf, rx_buf,
                                  sizeof rx_buf, NULL),
                     ERR_OK);
    return 0;
}

static struct syscall_return command(struct process_id pid, uint32_t num, uint32_t arg)
{
    return driver_command(&console.driver, num, arg, 0, pid);
}

static void assert_success(struct syscall_return ret)
{
    assert_int_equal(ret.variant, SYSCALL_SUCCESS);
}

static void assert_failure(struct syscall_return ret, err_t err)
{
    assert_int_equal(ret.variant, SYSCALL_FAILURE);
    assert_int_equal(ret.values[0], err);
}

static struct syscall_return write_text(struct process_id pid, const char *text)
{
    size_t len = strlen(text);
    fake_process_allow_ro(pid, CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RO_WRITE, text, len);
    return command(pid, CONSOLE_CMD_WRITE, (uint32_t)len);
}

static void complete_all(void)
{
    while (fake_uart_tx_busy(&hw)) {
        fake_uart_complete(&hw);
    }
}

static void assert_upcall(size_t i, struct process_id pid, uint32_t subscribe, err_t status,
                          uint32_t len)
{
    const struct fake_upcall *u = fake_grant_upcall(i);
    assert_int_equal(u->driver_num, CONSOLE_DRIVER_NUM);
    assert_true(process_id_equal(u->pid, pid));
    assert_int_equal(u->subscribe_num, subscribe);
    assert_int_equal(u->args[0], status);
    assert_int_equal(u->args[1], len);
    assert_int_equal(u->args[2], 0);
}

static void assert_write_done(size_t i, struct process_id pid, err_t status, uint32_t len)
{
    assert_upcall(i, pid, CONSOLE_SUBSCRIBE_WRITE_DONE, status, len);
}

static void assert_read_done(size_t i, struct process_id pid, err_t status, uint32_t len)
{
    assert_upcall(i, pid, CONSOLE_SUBSCRIBE_READ_DONE, status, len);
}

/* ---------------------------------------------------------------- commands */

static void test_exists_and_unknown_commands(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    assert_success(command(a, CONSOLE_CMD_EXISTS, 0));
    assert_false(grant_is_allocated(&console.grant, a));
    assert_failure(command(a, 4, 0), ERR_NOSUPPORT);
    assert_failure(command(a, 99, 0), ERR_NOSUPPORT);
}

static void test_grant_failure_is_returned(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    fake_process_set_nomem(a, true);
    assert_failure(command(a, CONSOLE_CMD_WRITE, 1), ERR_NOMEM);
    fake_process_kill(a);
    assert_failure(command(a, CONSOLE_CMD_READ, 1), ERR_INVAL);
}

/* ---------------------------------------------------------------- write */

static void test_write_is_chunked_through_the_staging_buffer(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    assert_success(write_text(a, "abcdefghijklmnopqrst"));
    assert_int_equal(hw.tx_len, TX_LEN);
    fake_uart_complete(&hw);
    assert_int_equal(hw.tx_len, TX_LEN);
    fake_uart_complete(&hw);
    assert_int_equal(hw.tx_len, 4);
    assert_int_equal(fake_grant_upcall_count(), 0); /* only when the whole write is done */
    fake_uart_complete(&hw);
    assert_string_equal(hw.output, "abcdefghijklmnopqrst");
    assert_int_equal(hw.transmit_calls, 3);
    assert_int_equal(fake_grant_upcall_count(), 1);
    assert_write_done(0, a, ERR_OK, 20); /* (status, length): tockc's documented order */
}

/* A chunk with more after it ends at its last line end: each line that fits the staging
 * buffer is one transmission. */
static void test_write_chunks_end_at_line_ends(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    assert_success(write_text(a, "ab\ncd\nefghijklmnop\nq"));
    assert_int_equal(hw.tx_len, 6); /* "ab\ncd\n" of the first 8 */
    fake_uart_complete(&hw);
    assert_int_equal(hw.tx_len, TX_LEN); /* "efghijkl": no line end within 8 */
    fake_uart_complete(&hw);
    assert_int_equal(hw.tx_len, 6); /* "mnop\nq": the rest, last chunk as it is */
    fake_uart_complete(&hw);
    assert_string_equal(hw.output, "ab\ncd\nefghijklmnop\nq");
    assert_write_done(0, a, ERR_OK, 20);
}

static void test_write_length_is_min_of_argument_and_allow(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    fake_process_allow_ro(a, CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RO_WRITE, "hello", 5);
    assert_success(command(a, CONSOLE_CMD_WRITE, 100));
    complete_all();
    assert_success(command(a, CONSOLE_CMD_WRITE, 3));
    complete_all();
    assert_string_equal(hw.output, "hellohel");
    assert_write_done(0, a, ERR_OK, 5);
    assert_write_done(1, a, ERR_OK, 3);
}

static void test_zero_length_write_completes_at_once(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    assert_success(command(a, CONSOLE_CMD_WRITE, 10)); /* no allow */
    assert_int_equal(hw.transmit_calls, 0);
    assert_int_equal(fake_grant_upcall_count(), 1);
    assert_write_done(0, a, ERR_OK, 0);
}

static void test_write_busy_while_own_write_outstanding(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    struct process_id b = fake_process_create();
    assert_success(write_text(a, "first"));
    assert_failure(command(a, CONSOLE_CMD_WRITE, 5), ERR_BUSY);
    assert_success(write_text(b, "queued"));
    assert_failure(command(b, CONSOLE_CMD_WRITE, 6), ERR_BUSY);
    complete_all();
    assert_string_equal(hw.output, "firstqueued");
    assert_int_equal(fake_grant_upcall_count(), 2);
}

static void test_no_interleaving_between_two_processes(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    struct process_id b = fake_process_create();
    assert_success(write_text(a, "AAAAAAAAAAAAAAAAAAAA")); /* 3 chunks */
    fake_uart_complete(&hw);
    assert_success(write_text(b, "bbbbbbbbbbbb")); /* arrives mid-write */
    complete_all();
    assert_string_equal(hw.output, "AAAAAAAAAAAAAAAAAAAAbbbbbbbbbbbb");
    assert_write_done(0, a, ERR_OK, 20);
    assert_write_done(1, b, ERR_OK, 12);
}

static void test_writers_served_round_robin_when_one_writes_again(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    struct process_id b = fake_process_create();
    struct process_id c = fake_process_create();
    assert_success(write_text(a, "aa"));
    assert_success(write_text(b, "bb"));
    assert_success(write_text(c, "cc"));
    fake_uart_complete(&hw); /* A done; B starts */
    assert_write_done(0, a, ERR_OK, 2);
    assert_success(write_text(a, "AA")); /* A writes again from its write-done callback */
    complete_all();
    assert_string_equal(hw.output, "aabbccAA"); /* A went behind C */
    assert_write_done(1, b, ERR_OK, 2);
    assert_write_done(2, c, ERR_OK, 2);
    assert_write_done(3, a, ERR_OK, 2);
}

static void test_round_robin_wraps_to_lower_slots(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    struct process_id b = fake_process_create();
    struct process_id c = fake_process_create();
    assert_success(write_text(c, "c"));
    assert_success(write_text(a, "a"));
    assert_success(write_text(b, "b"));
    complete_all();
    assert_string_equal(hw.output, "cab"); /* after slot 2 comes slot 0, then 1 */
}

static void test_dead_writer_is_skipped_mid_write(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    struct process_id b = fake_process_create();
    assert_success(write_text(a, "AAAAAAAAAAAAAAAAAAAA"));
    assert_success(write_text(b, "bb"));
    fake_process_kill(a); /* while its first chunk is on the wire */
    complete_all();
    assert_string_equal(hw.output, "AAAAAAAAbb");
    assert_int_equal(fake_grant_upcall_count(), 1);
    assert_write_done(0, b, ERR_OK, 2);
}

static void test_dead_queued_writer_is_skipped(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    struct process_id b = fake_process_create();
    struct process_id c = fake_process_create();
    assert_success(write_text(a, "a"));
    assert_success(write_text(b, "b"));
    assert_success(write_text(c, "c"));
    fake_process_kill(b);
    complete_all();
    assert_string_equal(hw.output, "ac");
    assert_int_equal(fake_grant_upcall_count(), 2);
}

static void test_uart_refusing_first_chunk_fails_the_command(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    hw.next_transmit_result = ERR_OFF;
    assert_failure(write_text(a, "x"), ERR_OFF);
    assert_int_equal(fake_grant_upcall_count(), 0);
    assert_success(write_text(a, "y"));
    complete_all();
    assert_write_done(0, a, ERR_OK, 1);
}

static void test_uart_refusing_a_queued_write_reports_it_and_serves_the_next(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    struct process_id b = fake_process_create();
    struct process_id c = fake_process_create();
    assert_success(write_text(a, "a"));
    assert_success(write_text(b, "b"));
    assert_success(write_text(c, "c"));
    hw.next_transmit_result = ERR_FAIL; /* B's first chunk is refused */
    complete_all();
    assert_string_equal(hw.output, "ac");
    assert_write_done(0, a, ERR_OK, 1);
    assert_write_done(1, b, ERR_FAIL, 0);
    assert_write_done(2, c, ERR_OK, 1);
}

static void test_uart_error_midway_reports_status_and_bytes_sent(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    assert_success(write_text(a, "abcdefghijklmnopqrst"));
    fake_uart_complete(&hw);
    fake_uart_complete_tx_with(&hw, 3, ERR_FAIL);
    assert_false(fake_uart_tx_busy(&hw));
    assert_int_equal(fake_grant_upcall_count(), 1);
    assert_write_done(0, a, ERR_FAIL, 11);
}

static void test_allow_shrinking_mid_write_ends_it_with_size(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    assert_success(write_text(a, "abcdefghijklmnopqrst"));
    fake_process_allow_ro(a, CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RO_WRITE, "wxyz", 4);
    fake_uart_complete(&hw);
    assert_false(fake_uart_tx_busy(&hw));
    assert_write_done(0, a, ERR_SIZE, 8);
}

/* ---------------------------------------------------------------- read */

static void test_read_delivers_bytes_into_the_allow(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    char buf[10] = { 0 };
    fake_process_allow_rw(a, CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, buf, sizeof buf);
    assert_success(command(a, CONSOLE_CMD_READ, 5));
    assert_int_equal(hw.rx_len, 5);
    fake_uart_feed(&hw, "hello", 5);
    assert_memory_equal(buf, "hello", 5);
    assert_int_equal(fake_grant_upcall_count(), 1);
    assert_read_done(0, a, ERR_OK, 5);
}

/* A process that asked to read once owns the input (console_has_reader) until it dies, even
 * between reads and after a refused read; writing alone does not count. */
static void test_a_process_that_read_is_a_reader_until_it_dies(void **state)
{
    (void)state;
    static char buf[2 * RX_LEN];
    struct process_id a = fake_process_create();
    struct process_id b = fake_process_create();
    assert_false(console_has_reader(&console));
    assert_success(write_text(a, "hi"));
    complete_all();
    assert_false(console_has_reader(&console));
    fake_process_allow_rw(b, CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, buf, sizeof buf);
    assert_failure(command(b, CONSOLE_CMD_READ, RX_LEN + 1u), ERR_INVAL);
    assert_true(console_has_reader(&console)); /* refused, but it asked */
    assert_success(command(b, CONSOLE_CMD_READ, 2));
    assert_true(console_has_reader(&console));
    fake_uart_feed(&hw, "ok", 2);
    assert_true(console_has_reader(&console)); /* its read is done; it still reads */
    fake_process_kill(b);
    assert_false(console_has_reader(&console));
}

static void test_read_length_checks(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    char buf[32];
    fake_process_allow_rw(a, CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, buf, sizeof buf);
    assert_failure(command(a, CONSOLE_CMD_READ, RX_LEN + 1), ERR_INVAL);
    assert_success(command(a, CONSOLE_CMD_READ, RX_LEN));
    assert_failure(command(a, CONSOLE_CMD_READ, 1), ERR_BUSY);
    assert_int_equal(hw.receive_calls, 1);
}

static void test_zero_length_read_completes_at_once(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    assert_success(command(a, CONSOLE_CMD_READ, 4)); /* no allow: min(4, 0) */
    assert_int_equal(hw.receive_calls, 0);
    assert_read_done(0, a, ERR_OK, 0);
}

static void test_second_reader_waits_for_the_first(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    struct process_id b = fake_process_create();
    char buf_a[8] = { 0 };
    char buf_b[8] = { 0 };
    fake_process_allow_rw(a, CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, buf_a, sizeof buf_a);
    fake_process_allow_rw(b, CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, buf_b, sizeof buf_b);
    assert_success(command(a, CONSOLE_CMD_READ, 3));
    assert_success(command(b, CONSOLE_CMD_READ, 2));
    assert_failure(command(b, CONSOLE_CMD_READ, 2), ERR_BUSY);
    fake_uart_feed(&hw, "abcde", 5);
    assert_memory_equal(buf_a, "abc", 3);
    assert_memory_equal(buf_b, "de", 2);
    assert_read_done(0, a, ERR_OK, 3);
    assert_read_done(1, b, ERR_OK, 2);
}

static void test_abort_returns_partial_bytes_with_cancel(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    char buf[8] = { 0 };
    fake_process_allow_rw(a, CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, buf, sizeof buf);
    assert_success(command(a, CONSOLE_CMD_READ, 5));
    fake_uart_feed(&hw, "ab", 2);
    assert_success(command(a, CONSOLE_CMD_ABORT_READ, 0));
    assert_true(hw.is_rx_abort_asked);
    assert_int_equal(fake_grant_upcall_count(), 0);
    fake_uart_rx_finish(&hw, ERR_CANCEL);
    assert_memory_equal(buf, "ab", 2);
    assert_read_done(0, a, ERR_CANCEL, 2);
}

static void test_abort_of_a_waiting_read_cancels_it_without_touching_the_uart(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    struct process_id b = fake_process_create();
    char buf[8];
    fake_process_allow_rw(a, CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, buf, sizeof buf);
    fake_process_allow_rw(b, CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, buf, sizeof buf);
    assert_success(command(a, CONSOLE_CMD_READ, 1));
    assert_success(command(b, CONSOLE_CMD_READ, 1));
    assert_success(command(b, CONSOLE_CMD_ABORT_READ, 0));
    assert_false(hw.is_rx_abort_asked);
    assert_read_done(0, b, ERR_CANCEL, 0);
    fake_uart_feed(&hw, "x", 1);
    assert_read_done(1, a, ERR_OK, 1);
    assert_false(fake_uart_rx_busy(&hw)); /* B's read is gone */
    assert_int_equal(fake_grant_upcall_count(), 2);
}

static void test_abort_without_a_read_succeeds_silently(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    assert_success(command(a, CONSOLE_CMD_ABORT_READ, 0));
    assert_int_equal(fake_grant_upcall_count(), 0);
    assert_int_equal(hw.rx_abort_calls, 0);
}

static void test_uart_error_reports_fail(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    char buf[8];
    fake_process_allow_rw(a, CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, buf, sizeof buf);
    assert_success(command(a, CONSOLE_CMD_READ, 4));
    fake_uart_feed(&hw, "ab", 2);
    fake_uart_rx_finish(&hw, ERR_FAIL);
    assert_read_done(0, a, ERR_FAIL, 0);
}

static void test_allow_shrunk_during_read_reports_size(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    char buf[8] = { 0 };
    fake_process_allow_rw(a, CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, buf, sizeof buf);
    assert_success(command(a, CONSOLE_CMD_READ, 5));
    fake_process_allow_rw(a, CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, buf, 3);
    fake_uart_feed(&hw, "hello", 5);
    assert_memory_equal(buf, "hel\0", 4);
    assert_read_done(0, a, ERR_SIZE, 3);
}

static void test_allow_removed_during_read_reports_nomem(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    char buf[8];
    fake_process_allow_rw(a, CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, buf, sizeof buf);
    assert_success(command(a, CONSOLE_CMD_READ, 2));
    fake_process_allow_rw(a, CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, NULL, 0);
    fake_uart_feed(&hw, "hi", 2);
    assert_read_done(0, a, ERR_NOMEM, 0);
}

static void test_uart_refusing_a_read_fails_the_command(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    char buf[8];
    fake_process_allow_rw(a, CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, buf, sizeof buf);
    hw.next_receive_result = ERR_OFF;
    assert_failure(command(a, CONSOLE_CMD_READ, 2), ERR_OFF);
    assert_int_equal(fake_grant_upcall_count(), 0);
    assert_success(command(a, CONSOLE_CMD_READ, 2)); /* nothing was left outstanding */
}

static void test_dead_reader_is_aborted_when_another_process_reads(void **state)
{
    (void)state;
    struct process_id a = fake_process_create();
    struct process_id b = fake_process_create();
    char buf_a[8];
    char buf_b[8] = { 0 };
    fake_process_allow_rw(a, CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, buf_a, sizeof buf_a);
    fake_process_allow_rw(b, CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, buf_b, sizeof buf_b);
    assert_success(command(a, CONSOLE_CMD_READ, 4));
    fake_process_kill(a);
    assert_success(command(b, CONSOLE_CMD_READ, 2));
    assert_true(hw.is_rx_abort_asked);
    fake_uart_rx_finish(&hw, ERR_CANCEL);
    assert_int_equal(fake_grant_upcall_count(), 0); /* nothing for the dead process */
    assert_true(fake_uart_rx_busy(&hw));
    fake_uart_feed(&hw, "ok", 2);
    assert_memory_equal(buf_b, "ok", 2);
    assert_read_done(0, b, ERR_OK, 2);
}

/* ---------------------------------------------------------------- through the UART mux */

static void test_console_over_the_uart_mux(void **state)
{
    (void)state;
    static struct mux_uart mux;
    static struct virtual_uart console_uart;
    static uint8_t mux_rx[16];
    fake_grant_reset();
    assert_int_equal(mux_uart_init(&mux, &hw.tx, &hw.rx, mux_rx, sizeof mux_rx), ERR_OK);
    virtual_uart_init(&console_uart, &mux);
    struct console muxed;
    assert_int_equal(console_init(&muxed, &console_uart.tx, &console_uart.rx, tx_buf,
                                  sizeof tx_buf, rx_buf, sizeof rx_buf, NULL),
                     ERR_OK);
    struct process_id a = fake_process_create();
    char buf[4] = { 0 };
    fake_process_allow_ro(a, CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RO_WRITE, "over the mux!", 13);
    fake_process_allow_rw(a, CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RW_READ, buf, sizeof buf);
    assert_success(driver_command(&muxed.driver, CONSOLE_CMD_WRITE, 13, 0, a));
    assert_success(driver_command(&muxed.driver, CONSOLE_CMD_READ, 3, 0, a));
    complete_all();
    fake_uart_feed(&hw, "yes", 3);
    deferred_call_service();
    assert_string_equal(hw.output, "over the mux!");
    assert_memory_equal(buf, "yes", 3);
    assert_write_done(0, a, ERR_OK, 13);
    assert_read_done(1, a, ERR_OK, 3);
}

static void test_init_errors(void **state)
{
    (void)state;
    struct console other;
    assert_int_equal(console_init(&other, &hw.tx, &hw.rx, NULL, 8, rx_buf, 8, NULL), ERR_SIZE);
    assert_int_equal(console_init(&other, &hw.tx, &hw.rx, tx_buf, 8, rx_buf, 0, NULL), ERR_SIZE);
    fake_grant_fail_next_create(ERR_NOMEM);
    assert_int_equal(console_init(&other, &hw.tx, &hw.rx, tx_buf, 8, rx_buf, 8, NULL),
                     ERR_NOMEM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_exists_and_unknown_commands, setup),
        cmocka_unit_test_setup(test_grant_failure_is_returned, setup),
        cmocka_unit_test_setup(test_write_is_chunked_through_the_staging_buffer, setup),
        cmocka_unit_test_setup(test_write_chunks_end_at_line_ends, setup),
        cmocka_unit_test_setup(test_write_length_is_min_of_argument_and_allow, setup),
        cmocka_unit_test_setup(test_zero_length_write_completes_at_once, setup),
        cmocka_unit_test_setup(test_write_busy_while_own_write_outstanding, setup),
        cmocka_unit_test_setup(test_no_interleaving_between_two_processes, setup),
        cmocka_unit_test_setup(test_writers_served_round_robin_when_one_writes_again, setup),
        cmocka_unit_test_setup(test_round_robin_wraps_to_lower_slots, setup),
        cmocka_unit_test_setup(test_dead_writer_is_skipped_mid_write, setup),
        cmocka_unit_test_setup(test_dead_queued_writer_is_skipped, setup),
        cmocka_unit_test_setup(test_uart_refusing_first_chunk_fails_the_command, setup),
        cmocka_unit_test_setup(test_uart_refusing_a_queued_write_reports_it_and_serves_the_next,
                               setup),
        cmocka_unit_test_setup(test_uart_error_midway_reports_status_and_bytes_sent, setup),
        cmocka_unit_test_setup(test_allow_shrinking_mid_write_ends_it_with_size, setup),
        cmocka_unit_test_setup(test_read_delivers_bytes_into_the_allow, setup),
        cmocka_unit_test_setup(test_a_process_that_read_is_a_reader_until_it_dies, setup),
        cmocka_unit_test_setup(test_read_length_checks, setup),
        cmocka_unit_test_setup(test_zero_length_read_completes_at_once, setup),
        cmocka_unit_test_setup(test_second_reader_waits_for_the_first, setup),
        cmocka_unit_test_setup(test_abort_returns_partial_bytes_with_cancel, setup),
        cmocka_unit_test_setup(
            test_abort_of_a_waiting_read_cancels_it_without_touching_the_uart, setup),
        cmocka_unit_test_setup(test_abort_without_a_read_succeeds_silently, setup),
        cmocka_unit_test_setup(test_uart_error_reports_fail, setup),
        cmocka_unit_test_setup(test_allow_shrunk_during_read_reports_size, setup),
        cmocka_unit_test_setup(test_allow_removed_during_read_reports_nomem, setup),
        cmocka_unit_test_setup(test_uart_refusing_a_read_fails_the_command, setup),
        cmocka_unit_test_setup(test_dead_reader_is_aborted_when_another_process_reads, setup),
        cmocka_unit_test_setup(test_console_over_the_uart_mux, setup),
        cmocka_unit_test_setup(test_init_errors, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
