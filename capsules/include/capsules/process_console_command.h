/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The process console's commands: their names, what arguments each takes, their help text, and
 * the parser that turns a typed line into a request. No kernel dependency (host-tested alone).
 *
 * A line is words separated by spaces; the first is the command, matched exactly. Commands
 * that name an app take it as their first argument (a name or a process id, resolved by the
 * console); `boot` may name one or none; `trace` takes an app and then `on` or `off`.
 *
 * Usage:
 *     struct process_console_request request;
 *     enum process_console_parse parse = process_console_parse(line, &request);
 *     if (parse != PROCESS_CONSOLE_PARSE_OK) { print process_console_parse_message(parse) }
 *
 * Invariants: process_console_commands[i].command == i for every command; the table's order is
 * the order `help` lists them in.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum process_console_command {
    PROCESS_CONSOLE_HELP,
    PROCESS_CONSOLE_STATUS,
    PROCESS_CONSOLE_LIST,
    PROCESS_CONSOLE_PROCESS,
    PROCESS_CONSOLE_STOP,
    PROCESS_CONSOLE_START,
    PROCESS_CONSOLE_TERMINATE,
    PROCESS_CONSOLE_RESTART,
    PROCESS_CONSOLE_FAULT,
    PROCESS_CONSOLE_BOOT,
    PROCESS_CONSOLE_TRACE,
    PROCESS_CONSOLE_KERNEL,
    PROCESS_CONSOLE_RESET,
    PROCESS_CONSOLE_PANIC,
    PROCESS_CONSOLE_CONSOLE_START,
    PROCESS_CONSOLE_CONSOLE_STOP,
    PROCESS_CONSOLE_COMMAND_COUNT,
};

enum process_console_arguments {
    PROCESS_CONSOLE_NO_ARGUMENT,
    PROCESS_CONSOLE_APP,          /* exactly one: an app */
    PROCESS_CONSOLE_OPTIONAL_APP, /* an app or nothing */
    PROCESS_CONSOLE_APP_ON_OFF,   /* an app, then on or off */
};

struct process_console_command_info {
    enum process_console_command command;
    const char *name;
    enum process_console_arguments arguments;
    const char *usage;       /* the arguments as `help` shows them ("" for none) */
    const char *description; /* one line */
};

extern const struct process_console_command_info
    process_console_commands[PROCESS_CONSOLE_COMMAND_COUNT];

enum process_console_parse {
    PROCESS_CONSOLE_PARSE_OK,
    PROCESS_CONSOLE_PARSE_EMPTY,          /* nothing but spaces: no command */
    PROCESS_CONSOLE_PARSE_UNKNOWN,        /* the first word is no command */
    PROCESS_CONSOLE_PARSE_MISSING_APP,    /* the command needs an app */
    PROCESS_CONSOLE_PARSE_MISSING_ON_OFF, /* trace <app> needs on or off */
    PROCESS_CONSOLE_PARSE_BAD_ON_OFF,     /* the word after trace's app is neither */
    PROCESS_CONSOLE_PARSE_EXTRA,          /* more words than the command takes */
};

struct process_console_request {
    const struct process_console_command_info *info; /* the command (also when an argument
                                                      * was wrong); NULL if none matched */
    const char *word;   /* the first word (also when unknown) */
    const char *app;    /* the app argument, or NULL */
    bool is_on;         /* trace: on */
};

/**
 * Parse `line` (modified: each word is NUL-terminated in place; the request points into it).
 * Returns PROCESS_CONSOLE_PARSE_OK with the request filled, or why the line is no request
 * (request->info and ->word say how far it got).
 */
enum process_console_parse process_console_parse(char *line,
                                                 struct process_console_request *request);

/* A sentence saying what is wrong (for any value but OK and EMPTY). */
const char *process_console_parse_message(enum process_console_parse parse);

/* The app argument as a process id: true (and *id written) when it is all decimal digits and
 * fits 32 bits. The console tries names first, so an app named with digits is still found. */
bool process_console_parse_id(const char *word, uint32_t *id);
