/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The process console's command table and line parser (see capsules/process_console_command.h).
 *
 * Usage: see capsules/process_console_command.h.
 *
 * Invariants: the parser reads only the line it is given and writes only NULs into it.
 */
#include "capsules/process_console_command.h"

const struct process_console_command_info process_console_commands[PROCESS_CONSOLE_COMMAND_COUNT] =
    {
        { PROCESS_CONSOLE_HELP, "help", PROCESS_CONSOLE_NO_ARGUMENT, "", "this list" },
        { PROCESS_CONSOLE_STATUS, "status", PROCESS_CONSOLE_NO_ARGUMENT, "",
          "kernel-wide counters" },
        { PROCESS_CONSOLE_LIST, "list", PROCESS_CONSOLE_NO_ARGUMENT, "",
          "apps: state, counters, memory use" },
        { PROCESS_CONSOLE_PROCESS, "process", PROCESS_CONSOLE_APP, " <app>",
          "an app's registers, memory map, MPU/PMP" },
        { PROCESS_CONSOLE_STOP, "stop", PROCESS_CONSOLE_APP, " <app>",
          "stop running an app (keeps its state)" },
        { PROCESS_CONSOLE_START, "start", PROCESS_CONSOLE_APP, " <app>",
          "resume a stopped app" },
        { PROCESS_CONSOLE_TERMINATE, "terminate", PROCESS_CONSOLE_APP, " <app>",
          "end an app" },
        { PROCESS_CONSOLE_RESTART, "restart", PROCESS_CONSOLE_APP, " <app>",
          "restart an app afresh" },
        { PROCESS_CONSOLE_FAULT, "fault", PROCESS_CONSOLE_APP, " <app>",
          "fault an app as if it crashed" },
        { PROCESS_CONSOLE_BOOT, "boot", PROCESS_CONSOLE_OPTIONAL_APP, " [app]",
          "start ended apps (one or all)" },
        { PROCESS_CONSOLE_TRACE, "trace", PROCESS_CONSOLE_APP_ON_OFF, " <app> on|off",
          "print an app's syscalls and upcalls" },
        { PROCESS_CONSOLE_KERNEL, "kernel", PROCESS_CONSOLE_NO_ARGUMENT, "",
          "version, memory map, sizes" },
        { PROCESS_CONSOLE_RESET, "reset", PROCESS_CONSOLE_NO_ARGUMENT, "",
          "reset the machine" },
        { PROCESS_CONSOLE_PANIC, "panic", PROCESS_CONSOLE_NO_ARGUMENT, "",
          "stop the kernel with a panic" },
        { PROCESS_CONSOLE_CONSOLE_START, "console-start", PROCESS_CONSOLE_NO_ARGUMENT, "",
          "take commands again" },
        { PROCESS_CONSOLE_CONSOLE_STOP, "console-stop", PROCESS_CONSOLE_NO_ARGUMENT, "",
          "ignore all but console-start" },
};

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* The next word at or after *at (NUL-terminated in place), or NULL; *at moves past it. */
static char *next_word(char **at)
{
    char *c = *at;
    while (is_space(*c)) {
        c++;
    }
    if (*c == '\0') {
        *at = c;
        return NULL;
    }
    char *word = c;
    while (*c != '\0' && !is_space(*c)) {
        c++;
    }
    if (*c != '\0') {
        *c++ = '\0';
    }
    *at = c;
    return word;
}

static bool words_equal(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static const struct process_console_command_info *find(const char *word)
{
    for (uint32_t i = 0; i < PROCESS_CONSOLE_COMMAND_COUNT; i++) {
        if (words_equal(word, process_console_commands[i].name)) {
            return &process_console_commands[i];
        }
    }
    return NULL;
}

/* The arguments of the command in request->info, from *at on. */
static enum process_console_parse parse_arguments(char **at,
                                                  struct process_console_request *request)
{
    enum process_console_arguments kind = request->info->arguments;
    if (kind != PROCESS_CONSOLE_NO_ARGUMENT) {
        request->app = next_word(at);
        if (request->app == NULL && kind != PROCESS_CONSOLE_OPTIONAL_APP) {
            return PROCESS_CONSOLE_PARSE_MISSING_APP;
        }
    }
    if (kind == PROCESS_CONSOLE_APP_ON_OFF) {
        const char *on_off = next_word(at);
        if (on_off == NULL) {
            return PROCESS_CONSOLE_PARSE_MISSING_ON_OFF;
        }
        request->is_on = words_equal(on_off, "on");
        if (!request->is_on && !words_equal(on_off, "off")) {
            return PROCESS_CONSOLE_PARSE_BAD_ON_OFF;
        }
    }
    return next_word(at) == NULL ? PROCESS_CONSOLE_PARSE_OK : PROCESS_CONSOLE_PARSE_EXTRA;
}

enum process_console_parse process_console_parse(char *line,
                                                 struct process_console_request *request)
{
    *request = (struct process_console_request){
        .info = NULL, .word = NULL, .app = NULL, .is_on = false,
    };
    char *at = line;
    request->word = next_word(&at);
    if (request->word == NULL) {
        return PROCESS_CONSOLE_PARSE_EMPTY;
    }
    request->info = find(request->word);
    if (request->info == NULL) {
        return PROCESS_CONSOLE_PARSE_UNKNOWN;
    }
    return parse_arguments(&at, request);
}

const char *process_console_parse_message(enum process_console_parse parse)
{
    switch (parse) {
    case PROCESS_CONSOLE_PARSE_UNKNOWN:
        return "unknown command (help lists them)";
    case PROCESS_CONSOLE_PARSE_MISSING_APP:
        return "which app? give a name or an id (list shows them)";
    case PROCESS_CONSOLE_PARSE_MISSING_ON_OFF:
        return "on or off?";
    case PROCESS_CONSOLE_PARSE_BAD_ON_OFF:
        return "the last word must be on or off";
    case PROCESS_CONSOLE_PARSE_EXTRA:
        return "too many words";
    case PROCESS_CONSOLE_PARSE_OK:
    case PROCESS_CONSOLE_PARSE_EMPTY:
    default:
        return "";
    }
}

bool process_console_parse_id(const char *word, uint32_t *id)
{
    uint32_t value = 0;
    if (*word == '\0') {
        return false;
    }
    for (; *word != '\0'; word++) {
        if (*word < '0' || *word > '9') {
            return false;
        }
        uint32_t digit = (uint32_t)(*word - '0');
        if (value > (UINT32_MAX - digit) / 10u) {
            return false; /* more than 32 bits */
        }
        value = value * 10u + digit;
    }
    *id = value;
    return true;
}
