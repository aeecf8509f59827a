# SPDX-License-Identifier: Apache-2.0 OR MIT
# Host unit tests for capsules/ (included by the top Makefile; each is built plain and with
# ASan/UBSan). Each test links the real capsule sources against tests/fakes/.

UNIT_TESTS += virtual_uart_test
virtual_uart_test_SRCS := tests/unit/capsules/virtual_uart_test.c \
	capsules/core/virtualizers/virtual_uart.c tests/fakes/fake_uart.c kernel/deferred_call.c \
	libraries/errorcode.c

UNIT_TESTS += virtual_alarm_test
virtual_alarm_test_SRCS := tests/unit/capsules/virtual_alarm_test.c \
	capsules/core/virtualizers/virtual_alarm.c tests/fakes/fake_alarm.c kernel/deferred_call.c \
	libraries/errorcode.c

UNIT_TESTS += alarm_test
alarm_test_SRCS := tests/unit/capsules/alarm_test.c capsules/core/alarm.c \
	capsules/core/virtualizers/virtual_alarm.c tests/fakes/fake_alarm.c tests/fakes/fake_grant.c \
	kernel/deferred_call.c libraries/errorcode.c

UNIT_TESTS += console_test
console_test_SRCS := tests/unit/capsules/console_test.c capsules/core/console.c \
	capsules/core/virtualizers/virtual_uart.c tests/fakes/fake_uart.c tests/fakes/fake_grant.c \
	kernel/deferred_call.c libraries/errorcode.c

UNIT_TESTS += led_test
led_test_SRCS := tests/unit/capsules/led_test.c capsules/core/led.c tests/fakes/fake_led.c \
	libraries/errorcode.c

UNIT_TESTS += low_level_debug_test
low_level_debug_test_SRCS := tests/unit/capsules/low_level_debug_test.c \
	capsules/core/low_level_debug.c tests/fakes/fake_debug.c libraries/format.c \
	libraries/errorcode.c

UNIT_TESTS += debug_writer_test
debug_writer_test_SRCS := tests/unit/capsules/debug_writer_test.c capsules/core/debug_writer.c \
	capsules/core/virtualizers/virtual_uart.c tests/fakes/fake_uart.c tests/fakes/fake_debug.c \
	kernel/deferred_call.c libraries/format.c libraries/errorcode.c

UNIT_TESTS += rng_test
rng_test_SRCS := tests/unit/capsules/rng_test.c capsules/extra/rng.c capsules/extra/clock_entropy.c \
	libraries/crypto/hmac_drbg.c libraries/crypto/hmac_sha256.c libraries/crypto/sha256.c \
	tests/fakes/fake_grant.c tests/fakes/fake_alarm.c kernel/deferred_call.c libraries/errorcode.c

UNIT_TESTS += kernel_clock_alarm_test
kernel_clock_alarm_test_SRCS := tests/unit/capsules/kernel_clock_alarm_test.c \
	capsules/core/kernel_clock_alarm.c tests/fakes/fake_alarm.c

UNIT_TESTS += line_editor_test
line_editor_test_SRCS := tests/unit/capsules/line_editor_test.c capsules/extra/line_editor.c

UNIT_TESTS += process_console_command_test
process_console_command_test_SRCS := tests/unit/capsules/process_console_command_test.c \
	capsules/extra/process_console_command.c
