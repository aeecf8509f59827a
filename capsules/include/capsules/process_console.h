/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Process console: commands typed on the console UART to look at and control the kernel and
 * its processes (help, status, list, process, stop, start, terminate, restart, fault, boot,
 * trace, kernel, reset, panic, console-start, console-stop; capsules/process_console_command.h
 * lists them, doc/reference/024-process-console.md says what each does).
 *
 * Input: one split-phase 1-byte reception at a time on its own virtual UART of the console's
 * mux, edited into lines (capsules/line_editor.h: echo, backspace, history on the arrows).
 * Input belongs to the apps while any live process has read the console (console_has_reader):
 * then the console ignores what it receives and stops receiving, so no byte an app would wait
 * for is taken from it; it listens again once no such process is alive (an exit hook sets a
 * deferred call that looks). Output: the kernel's debug ring (debug_printf), which the debug
 * writer sends in whole lines, so answers never land inside an app's line.
 *
 * Usage (board, full configuration only; boards/components/process_console.h wires it):
 *     static struct virtual_uart process_console_uart;
 *     static struct process_console process_console;
 *     virtual_uart_init(&process_console_uart, &core.uart_mux);
 *     boot_check(process_console_init(&process_console, &process_console_uart.rx, &kernel,
 *                                     &core.console, &board_console_config),
 *                "process console");
 *
 * Invariants: process_console_init writes every field that is read before it is written (a
 * board may keep the object in NOINIT memory); at most one reception is outstanding
 * (is_receiving); nothing here blocks; every
 * command runs to completion inside the reception callback that ended its line; the stack it
 * needs is bounded (no recursion, no buffer beyond a few words: lines live in the editor).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capsules/console.h"
#include "capsules/line_editor.h"
#include "errorcode.h"
#include "hil/uart.h"
#include "kernel/deferred_call.h"
#include "kernel/kernel.h"

/* The longest trace line (longer ones are cut short). */
#define PROCESS_CONSOLE_TRACE_LINE 128u

/* A kernel static the `kernel` command reports the size of (the board names its big ones). */
struct process_console_object {
    const char *name;
    size_t size;
};

/* Where the kernel image lies, from the board's linker symbols; ranges are [start, end). */
struct process_console_memory_map {
    uintptr_t flash_start;   /* code (with the vectors) is [flash_start, rodata_start) */
    uintptr_t rodata_start;  /* read-only data is [rodata_start, rodata_end) */
    uintptr_t rodata_end;
    uintptr_t image_end;     /* then the initial .data, up to here */
    uintptr_t data_start;    /* RAM: .data [data_start, data_end) */
    uintptr_t data_end;
    uintptr_t bss_start;     /* .bss [bss_start, bss_end) */
    uintptr_t bss_end;
    uintptr_t noinit_end;    /* .noinit [bss_end, noinit_end) */
    uintptr_t stack_start;   /* the kernel stack [stack_start, stack_end) */
    uintptr_t stack_end;
};

struct process_console_config {
    const char *board_name;
    /* Reset the machine; never returns. */
    void (*reset)(void);
    const struct process_console_memory_map *memory_map;
    const struct process_console_object *objects;
    uint32_t object_count;
};

struct process_console {
    struct hil_uart_rx_client rx_client;
    struct hil_uart_rx *rx;
    struct kernel *kernel;
    struct console *app_console;
    const struct process_console_config *config;
    struct line_editor editor;
    uint8_t rx_byte;   /* lent to the UART while is_receiving */
    bool is_receiving; /* a reception is outstanding: received() is due */
    bool is_stopped;   /* console-stop: only console-start is obeyed */
    uint32_t receive_failures; /* consecutive receptions that ended in a UART error */
    struct process_exit_hook exit_hook;
    struct deferred_call listen;
    struct kernel_tracer tracer;
    /* The traced syscall being handled (between syscall_entered and syscall_returned). */
    struct process_id trace_pid;
    uint32_t trace_args[4];
    /* The trace line being built: it goes out in one write (trace_line[0..trace_len)). */
    char trace_line[PROCESS_CONSOLE_TRACE_LINE];
    size_t trace_len;
    /* The traced upcall being delivered (between upcall_coming and upcall_delivered). */
    uint32_t trace_driver;
    uint32_t trace_subscribe;
    bool is_trace_waiting;
};

/**
 * Boot only, after kernel_init: become rx's client, the kernel's tracer and an exit hook,
 * register the deferred call and start listening. It prints nothing until something is typed
 * (the apps' output is unchanged by its presence).
 * `app_console` is the console syscall driver whose readers take precedence; `config` lives
 * as long as the kernel. Returns ERR_OK, ERR_NOMEM (no deferred-call slot) or the UART's
 * refusal of the first reception.
 */
MUST_CHECK err_t process_console_init(struct process_console *console, struct hil_uart_rx *rx,
                                      struct kernel *k, struct console *app_console,
                                      const struct process_console_config *config);
