/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Process console (see capsules/process_console.h): reception, the commands, and the tracer.
 *
 * Each command prints its answer with debug_printf, whole lines only, and the prompt "tock$ "
 * after it; a command that names an app finds it by name first, then by process id. Process
 * control goes through the kernel's own functions (process_stop, process_resume,
 * process_terminate, process_restart, process_fault, process_boot, process_set_traced), never
 * around them.
 *
 * Stack high-water (`list`, `process`): the kernel zeroes a process's whole RAM when it starts
 * it and crt0 puts the stack at the bottom of RAM, growing down from the stack top it reports
 * (memop 10), so the lowest non-zero word between mem_start and that top is the deepest the
 * stack has been. A lower bound: zero words pushed at the very bottom look untouched. The
 * first arch_initial_app_brk_size() bytes are not counted (the kernel writes the first frame
 * there on Cortex-M).
 *
 * Stack: the commands with many locals (help, status, list, kernel) are functions of their own
 * (noinline), so their frames never add up with each other or with the reception's; the
 * deepest command is `process` or `fault` (process_print writes the report).
 *
 * Usage: see capsules/process_console.h.
 *
 * Invariants: see capsules/process_console.h; process memory is only read, only inside the
 * process's own RAM block below its grant region, and only by stack_used.
 */
#include "capsules/process_console.h"

#include <stdarg.h>

#include "capsules/driver_num.h"
#include "capsules/process_console_command.h"
#include "container.h"
#include "format.h"
#include "kernel/arch.h"
#include "kernel/debug.h"

#define PROMPT "tock$ "
#define SYSCALL_YIELD 0u
#define SYSCALL_SUBSCRIBE 1u
#define SYSCALL_COMMAND 2u
#define SYSCALL_ALLOW_READ_WRITE 3u
#define SYSCALL_ALLOW_READ_ONLY 4u
#define SYSCALL_MEMOP 5u
#define SYSCALL_EXIT 6u
#define SYSCALL_ALLOW_USERSPACE_READABLE 7u
/* Consecutive failed receptions after which the console stops listening (a UART that keeps
 * failing would otherwise keep the kernel loop busy). */
#define RECEIVE_FAILURES_MAX 2u

struct driver_name {
    uint32_t driver_num;
    const char *name;
};

static const struct driver_name driver_names[] = {
    { ALARM_DRIVER_NUM, "alarm" },
    { CONSOLE_DRIVER_NUM, "console" },
    { LED_DRIVER_NUM, "led" },
    { BUTTON_DRIVER_NUM, "button" },
    { GPIO_DRIVER_NUM, "gpio" },
    { LOW_LEVEL_DEBUG_DRIVER_NUM, "low_level_debug" },
    { READ_ONLY_STATE_DRIVER_NUM, "read_only_state" },
    { IPC_DRIVER_NUM, "ipc" },
    { PROCESS_INFO_DRIVER_NUM, "process_info" },
    { RNG_DRIVER_NUM, "rng" },
    { HMAC_DRIVER_NUM, "hmac" },
    { SHA_DRIVER_NUM, "sha" },
    { AES_DRIVER_NUM, "aes" },
    { APP_FLASH_DRIVER_NUM, "app_flash" },
    { NVM_STORAGE_DRIVER_NUM, "nvm_storage" },
    { KV_DRIVER_NUM, "kv" },
    { ISOLATED_NVM_STORAGE_DRIVER_NUM, "isolated_nvm_storage" },
    { IPC_NAME_DRIVER_NUM, "ipc_name" },
    { IPC_MSG_DRIVER_NUM, "ipc_msg" },
    { IPC_SHARE_DRIVER_NUM, "ipc_share" },
    { IPC_QUEUE_DRIVER_NUM, "ipc_queue" },
    { UPCALL_DRIVER_KERNEL, "kernel" },
};

static const char *const class_names[] = {
    "yield", "subscribe", "command", "allow-rw", "allow-ro", "memop", "exit", "allow-ur",
};

static const char *const yield_names[] = { "no-wait", "wait", "wait-for" };

/* ---------------------------------------------------------------- output */

static void echo(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    debug_write(text, len);
}

static void prompt(void)
{
    debug_write(PROMPT, sizeof PROMPT - 1u);
}

static const char *driver_name(uint32_t driver_num)
{
    for (size_t i = 0; i < ARRAY_LEN(driver_names); i++) {
        if (driver_names[i].driver_num == driver_num) {
            return driver_names[i].name;
        }
    }
    return "?";
}

/* ---------------------------------------------------------------- processes */

static bool names_equal(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

/* The loaded process (any state but EMPTY) called `word`, else the one whose id it is. */
static struct process *find_app(const struct process_console *console, const char *word)
{
    const struct kernel_config *config = &console->kernel->config;
    for (uint32_t i = 0; i < config->process_count; i++) {
        struct process *p = &config->processes[i];
        if (p->state != PROCESS_EMPTY && names_equal(p->name, word)) {
            return p;
        }
    }
    uint32_t id;
    if (!process_console_parse_id(word, &id)) {
        return NULL;
    }
    for (uint32_t i = 0; i < config->process_count; i++) {
        struct process *p = &config->processes[i];
        if (p->state != PROCESS_EMPTY && p->pid.id == id) {
            return p;
        }
    }
    return NULL;
}

static uint32_t grant_bytes(const struct process *p)
{
    return (uint32_t)(p->mem_start + p->mem_size - p->kernel_brk);
}

/* Bytes of p's stack used at its deepest, or 0 when p reported no stack top (see the file
 * comment for how and what it can miss). */
static uint32_t stack_used(const struct process *p)
{
    uintptr_t top = p->debug_stack_top;
    uintptr_t bottom = p->mem_start + arch_initial_app_brk_size();
    if (top > p->kernel_brk) {
        top = p->kernel_brk; /* never into the grant region */
    }
    if (top <= bottom) {
        return 0;
    }
    uintptr_t at = (bottom + 3u) & ~(uintptr_t)3u;
    /* SAFETY: [bottom, top) lies inside p's RAM block below its grant region (memop 10 keeps
     * stack_top inside the block, clamped to kernel_brk above); the kernel may read all of it,
     * whole aligned words, while p is not running (the console runs from the kernel loop). */
    while (at + 4u <= top && *(const volatile uint32_t *)at == 0) {
        at += 4u;
    }
    return (uint32_t)(top - at);
}

static uint32_t stack_size(const struct process *p)
{
    return p->debug_stack_top > p->mem_start ? (uint32_t)(p->debug_stack_top - p->mem_start)
                                             : 0;
}

/* ---------------------------------------------------------------- commands */

__attribute__((noinline)) static void command_help(void)
{
    debug_printf("commands (an app is a name or an id):\n");
    for (uint32_t i = 0; i < PROCESS_CONSOLE_COMMAND_COUNT; i++) {
        const struct process_console_command_info *c = &process_console_commands[i];
        debug_printf("  %-13s%-14s %s\n", c->name, c->usage, c->description);
    }
}

__attribute__((noinline)) static void command_status(const struct process_console *console)
{
    const struct kernel_config *config = &console->kernel->config;
    uint32_t loaded = 0, alive = 0, stopped = 0, faulted = 0, ended = 0, traced = 0;
    uint32_t syscalls = 0, slices = 0, restarts = 0, dropped = 0, grants = 0, queued = 0;
    for (uint32_t i = 0; i < config->process_count; i++) {
        const struct process *p = &config->processes[i];
        if (p->state == PROCESS_EMPTY) {
            continue;
        }
        loaded++;
        alive += process_is_alive(p) ? 1u : 0u;
        stopped += p->state == PROCESS_STOPPED ? 1u : 0u;
        faulted += p->state == PROCESS_FAULTED ? 1u : 0u;
        ended += p->state == PROCESS_TERMINATED ? 1u : 0u;
        traced += p->is_traced ? 1u : 0u;
        syscalls += p->syscall_count;
        slices += p->timeslice_expirations;
        restarts += p->restart_count;
        dropped += p->dropped_upcalls;
        grants += process_is_alive(p) ? grant_bytes(p) : 0u;
        queued += p->queue.count;
    }
    debug_printf("processes: %u loaded in %u slots: %u alive (%u stopped), %u faulted, "
                 "%u ended, %u traced\n",
                 (unsigned)loaded, (unsigned)config->process_count, (unsigned)alive,
                 (unsigned)stopped, (unsigned)faulted, (unsigned)ended, (unsigned)traced);
    debug_printf("totals: %u syscalls, %u timeslice expirations, %u restarts, %u upcalls "
                 "queued, %u dropped, %u grant bytes\n",
                 (unsigned)syscalls, (unsigned)slices, (unsigned)restarts, (unsigned)queued,
                 (unsigned)dropped, (unsigned)grants);
}

__attribute__((noinline)) static void command_list(const struct process_console *console)
{
    const struct kernel_config *config = &console->kernel->config;
    debug_printf("  id state        slices syscalls restarts grant queue dropped "
                 "stack/size name\n");
    for (uint32_t i = 0; i < config->process_count; i++) {
        const struct process *p = &config->processes[i];
        if (p->state == PROCESS_EMPTY) {
            continue;
        }
        bool is_alive = process_is_alive(p);
        debug_printf("%4u %-11s %7u %8u %8u %5u %5u %7u %5u/%-5u %s%s\n", (unsigned)p->pid.id,
                     process_state_name(p->state), (unsigned)p->timeslice_expirations,
                     (unsigned)p->syscall_count, (unsigned)p->restart_count,
                     (unsigned)(is_alive ? grant_bytes(p) : 0u), (unsigned)p->queue.count,
                     (unsigned)p->dropped_upcalls, (unsigned)(is_alive ? stack_used(p) : 0u),
                     (unsigned)stack_size(p), p->name, p->is_traced ? " (traced)" : "");
    }
}

static void command_process(const struct process *p)
{
    process_print(p);
    uintptr_t mem_end = p->mem_start + p->mem_size;
    debug_printf("  stack 0x%08x-0x%08x: %u of %u bytes used at most (lowest non-zero word)\n",
                 (unsigned)p->mem_start, (unsigned)p->debug_stack_top,
                 (unsigned)(process_is_alive(p) ? stack_used(p) : 0u), (unsigned)stack_size(p));
    debug_printf("  heap  0x%08x-0x%08x, grants 0x%08x-0x%08x (%u bytes), flash "
                 "0x%08x-0x%08x\n",
                 (unsigned)p->debug_heap_start, (unsigned)p->app_brk, (unsigned)p->kernel_brk,
                 (unsigned)mem_end, (unsigned)(mem_end - p->kernel_brk),
                 (unsigned)p->flash_start, (unsigned)(p->flash_start + p->flash_size));
    /* Who it is (kernel/app_identity.h): what vouched for it and its short id (0: none). */
    const struct app_identity *id = &p->identity;
    char authority[16];
    if (id->authority == APP_AUTHORITY_KEY) {
        format_to_buffer(authority, sizeof authority, "key %u", (unsigned)id->key_index);
    } else {
        format_to_buffer(authority, sizeof authority, "%s",
                         id->authority == APP_AUTHORITY_HASH ? "hash" : "unverified");
    }
    debug_printf("  identity: %s, short id 0x%08x\n", authority, (unsigned)id->short_id);
}

__attribute__((noinline)) static void command_kernel(const struct process_console *console)
{
    const struct process_console_config *c = console->config;
    const struct process_console_memory_map *m = c->memory_map;
    const struct kernel_config *k = &console->kernel->config;
    debug_printf("tockc %u.%u on %s\n", KERNEL_VERSION_MAJOR, KERNEL_VERSION_MINOR,
                 c->board_name);
    debug_printf("flash 0x%08x-0x%08x: code %u, rodata %u, then %u bytes (.data image)\n",
                 (unsigned)m->flash_start, (unsigned)m->image_end,
                 (unsigned)(m->rodata_start - m->flash_start),
                 (unsigned)(m->rodata_end - m->rodata_start),
                 (unsigned)(m->image_end - m->rodata_end));
    debug_printf("RAM 0x%08x-0x%08x: data %u, bss %u, noinit %u bytes; stack 0x%08x-0x%08x "
                 "(%u bytes)\n",
                 (unsigned)m->data_start, (unsigned)m->noinit_end,
                 (unsigned)(m->data_end - m->data_start), (unsigned)(m->bss_end - m->bss_start),
                 (unsigned)(m->noinit_end - m->bss_end), (unsigned)m->stack_start,
                 (unsigned)m->stack_end, (unsigned)(m->stack_end - m->stack_start));
    debug_printf("apps: flash 0x%08x-0x%08x, RAM 0x%08x-0x%08x; %u process slots of %u bytes\n",
                 (unsigned)k->app_flash_start, (unsigned)k->app_flash_end,
                 (unsigned)k->app_ram_start, (unsigned)k->app_ram_end,
                 (unsigned)k->process_count, (unsigned)sizeof(struct process));
    for (uint32_t i = 0; i < c->object_count; i++) {
        debug_printf("  %-32s %6u bytes\n", c->objects[i].name, (unsigned)c->objects[i].size);
    }
}

/* Print what err means for the command that got it on p. */
static void say(const char *command, const struct process *p, err_t err, const char *done)
{
    if (err == ERR_OK) {
        debug_printf("%s: %s %s\n", command, p->name, done);
    } else {
        debug_printf("%s: %s is %s, not changed (%s)\n", command, p->name,
                     process_state_name(p->state), err_name(err));
    }
}

static void command_boot(struct process_console *console, struct process *only)
{
    const struct kernel_config *config = &console->kernel->config;
    uint32_t started = 0;
    for (uint32_t i = 0; i < config->process_count; i++) {
        struct process *p = &config->processes[i];
        if ((only != NULL && p != only) || p->state == PROCESS_EMPTY ||
            (only == NULL && process_is_alive(p))) {
            continue;
        }
        err_t err = process_boot(console->kernel, p);
        say("boot", p, err, "started");
        started += err == ERR_OK ? 1u : 0u;
    }
    if (only == NULL && started == 0) {
        debug_printf("boot: every app is running\n");
    }
}

/* A command that acts on one app. */
static void command_on_app(struct process_console *console,
                           const struct process_console_request *request, struct process *p)
{
    struct kernel *k = console->kernel;
    const char *name = request->info->name;
    switch (request->info->command) {
    case PROCESS_CONSOLE_PROCESS:
        command_process(p);
        return;
    case PROCESS_CONSOLE_STOP:
        say(name, p, process_stop(p), "stopped");
        return;
    case PROCESS_CONSOLE_START:
        say(name, p, process_resume(p), "started");
        return;
    case PROCESS_CONSOLE_TERMINATE:
        if (!process_is_alive(p)) {
            say(name, p, ERR_OFF, "");
            return;
        }
        process_terminate(k, p, 0);
        say(name, p, ERR_OK, "terminated");
        return;
    case PROCESS_CONSOLE_RESTART:
        process_restart(k, p); /* a restart that fails leaves p faulted, and says so */
        if (process_is_alive(p)) {
            debug_printf("restart: %s restarted (id %u)\n", p->name, (unsigned)p->pid.id);
        }
        return;
    case PROCESS_CONSOLE_FAULT:
        if (!process_is_alive(p)) {
            say(name, p, ERR_OFF, "");
            return;
        }
        process_fault(k, p, "the process console asked (fault command)");
        return;
    case PROCESS_CONSOLE_BOOT:
        command_boot(console, p);
        return;
    case PROCESS_CONSOLE_TRACE:
        process_set_traced(p, request->is_on);
        debug_printf("trace: %s %s\n", p->name, request->is_on ? "on" : "off");
        return;
    default:
        return;
    }
}

static void reset_machine(const struct process_console *console)
{
    debug_printf("reset: resetting the machine\n");
    debug_flush_sync(); /* the debug writer will never send it now */
    console->config->reset();
}

/* Run a request that parsed; false when no prompt should follow. */
static bool execute(struct process_console *console,
                    const struct process_console_request *request)
{
    switch (request->info->command) {
    case PROCESS_CONSOLE_HELP:
        command_help();
        return true;
    case PROCESS_CONSOLE_STATUS:
        command_status(console);
        return true;
    case PROCESS_CONSOLE_LIST:
        command_list(console);
        return true;
    case PROCESS_CONSOLE_KERNEL:
        command_kernel(console);
        return true;
    case PROCESS_CONSOLE_RESET:
        reset_machine(console);
        return false;
    case PROCESS_CONSOLE_PANIC:
        kernel_panic("the process console asked for a panic (panic command)");
    case PROCESS_CONSOLE_CONSOLE_START:
        debug_printf("console-start: already taking commands\n");
        return true;
    case PROCESS_CONSOLE_CONSOLE_STOP:
        console->is_stopped = true;
        line_editor_set_echo(&console->editor, false);
        debug_printf("console-stop: ignoring input until console-start\n");
        return false;
    default:
        break;
    }
    if (request->app == NULL) {
        command_boot(console, NULL); /* boot without an app: the only such command */
        return true;
    }
    struct process *p = find_app(console, request->app);
    if (p == NULL) {
        debug_printf("%s: no app %s (list shows them)\n", request->info->name, request->app);
        return true;
    }
    command_on_app(console, request, p);
    return true;
}

static void run_line(struct process_console *console, char *line)
{
    struct process_console_request request;
    enum process_console_parse parse = process_console_parse(line, &request);
    if (console->is_stopped) {
        if (parse == PROCESS_CONSOLE_PARSE_OK &&
            request.info->command == PROCESS_CONSOLE_CONSOLE_START) {
            console->is_stopped = false;
            line_editor_set_echo(&console->editor, true);
            debug_printf("console-start: taking commands\n");
            prompt();
        }
        return;
    }
    bool wants_prompt = true;
    if (parse == PROCESS_CONSOLE_PARSE_OK) {
        wants_prompt = execute(console, &request);
    } else if (parse != PROCESS_CONSOLE_PARSE_EMPTY) {
        debug_printf("%s: %s\n", request.word, process_console_parse_message(parse));
    }
    if (wants_prompt) {
        prompt();
    }
}

/* ---------------------------------------------------------------- reception */

static void listen(struct process_console *console)
{
    if (console->is_receiving || console->receive_failures >= RECEIVE_FAILURES_MAX ||
        console_has_reader(console->app_console)) {
        return;
    }
    if (hil_uart_rx_receive(console->rx, &console->rx_byte, 1) == ERR_OK) {
        console->is_receiving = true;
    }
}

static void received(struct hil_uart_rx_client *client, uint8_t *buf, size_t len, err_t status)
{
    struct process_console *console = CONTAINER_OF(client, struct process_console, rx_client);
    console->is_receiving = false;
    if (console_has_reader(console->app_console)) {
        return; /* an app reads the console: it got this byte too; stop listening */
    }
    if (status != ERR_OK && status != ERR_CANCEL) {
        console->receive_failures++;
    } else {
        console->receive_failures = 0;
    }
    if (len == 1) {
        char *line = line_editor_feed(&console->editor, buf[0]);
        if (line != NULL) {
            run_line(console, line);
        }
    }
    listen(console);
}

static void listen_again(void *ctx)
{
    listen(ctx);
}

/* A process ended: if it was the last that read the console, input is the console's again
 * (looked at from a deferred call: the hook may run inside a grant entry, where the grant
 * walk of console_has_reader is not allowed). */
static void process_exited(struct process_exit_hook *hook, struct process_id pid)
{
    struct process_console *console = CONTAINER_OF(hook, struct process_console, exit_hook);
    (void)pid;
    if (!console->is_receiving) {
        deferred_call_set(&console->listen);
    }
}

/* ---------------------------------------------------------------- tracing */

/* Value registers after r0 that each variant defines (kernel/syscall_return.h), failures
 * from SYSCALL_FAILURE on, successes from SYSCALL_SUCCESS on. */
static const uint8_t failure_values[] = { 1, 2, 3, 3 };
static const uint8_t success_values[] = { 0, 1, 2, 2, 3, 3 };

/* Add to the trace line being built (cut short, never overrun, if it does not fit). */
static void trace_append(struct process_console *console, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void trace_append(struct process_console *console, const char *fmt, ...)
{
    size_t room = sizeof console->trace_line - console->trace_len; /* >= 2: see trace_end */
    va_list args;
    va_start(args, fmt);
    size_t n = format_to_buffer_v(&console->trace_line[console->trace_len], room, fmt, args);
    va_end(args);
    console->trace_len += n < room - 1u ? n : room - 2u; /* keep a byte for the line end */
}

/* Send the trace line as one write, so it goes out whole (the debug writer cuts at line
 * ends; pieces written one by one could go out apart, with an app's line between them). */
static void trace_end(struct process_console *console)
{
    console->trace_line[console->trace_len++] = '\n';
    debug_write(console->trace_line, console->trace_len);
    console->trace_len = 0;
}

/* The return registers: the variant, then each value register it defines (a failure's first
 * is its error code, named; 64-bit values show as their two 32-bit halves, low first). */
static void append_result(struct process_console *console, const uint32_t *r)
{
    uint32_t variant = r[0];
    bool is_failure = variant < SYSCALL_SUCCESS;
    uint32_t index = is_failure ? variant : variant - SYSCALL_SUCCESS;
    if (index >= (is_failure ? ARRAY_LEN(failure_values) : ARRAY_LEN(success_values))) {
        trace_append(console, "variant %u?", (unsigned)variant);
        return;
    }
    uint32_t values = is_failure ? failure_values[index] : success_values[index];
    if (is_failure) {
        trace_append(console, "failure %s", err_name((err_t)r[1]));
    } else {
        trace_append(console, "success");
    }
    for (uint32_t i = is_failure ? 2u : 1u; i <= values; i++) {
        trace_append(console, " 0x%x", (unsigned)r[i]);
    }
}

static void trace_syscall_entered(struct kernel_tracer *tracer, const struct process *p,
                                  const struct arch_syscall *sc)
{
    struct process_console *console = CONTAINER_OF(tracer, struct process_console, tracer);
    console->trace_pid = p->pid;
    for (uint32_t i = 0; i < 4; i++) {
        console->trace_args[i] = sc->args[i];
    }
}

static void trace_syscall_returned(struct kernel_tracer *tracer, const struct process *p,
                                   const struct arch_syscall *sc)
{
    struct process_console *console = CONTAINER_OF(tracer, struct process_console, tracer);
    const uint32_t *a = console->trace_args;
    uint32_t class_num = sc->class_num;
    bool is_known = class_num < ARRAY_LEN(class_names);
    console->trace_len = 0;
    trace_append(console, "[trace] %s: %s ", p->name,
                 is_known ? class_names[class_num] : "class?");
    if (class_num == SYSCALL_YIELD) {
        trace_append(console, "%s", a[0] < 3u ? yield_names[a[0]] : "?");
        if (a[0] == 2u) {
            trace_append(console, " %s(0x%x) %u", driver_name(a[1]), (unsigned)a[1],
                         (unsigned)a[2]);
        }
    } else if (class_num == SYSCALL_MEMOP || class_num == SYSCALL_EXIT || !is_known) {
        trace_append(console, "%u 0x%x", (unsigned)a[0], (unsigned)a[1]);
    } else { /* command, subscribe, the allows: a driver, a number, two values */
        trace_append(console, "%s(0x%x) %u (0x%x, 0x%x)", driver_name(a[0]), (unsigned)a[0],
                     (unsigned)a[1], (unsigned)a[2], (unsigned)a[3]);
    }
    bool is_same = process_is_alive(p) && p->pid.id == console->trace_pid.id;
    if (!is_same) {
        trace_append(console, " -> process ended");
    } else if (class_num != SYSCALL_YIELD) {
        trace_append(console, " -> ");
        append_result(console, sc->args);
    }
    trace_end(console);
}

static void trace_upcall_coming(struct kernel_tracer *tracer, const struct process *p)
{
    struct process_console *console = CONTAINER_OF(tracer, struct process_console, tracer);
    console->is_trace_waiting = p->state == PROCESS_YIELDED_FOR;
    if (console->is_trace_waiting) {
        console->trace_driver = p->yield_driver;
        console->trace_subscribe = p->yield_subscribe;
        return;
    }
    const struct upcall_task *next = upcall_queue_first_function(&p->queue);
    console->trace_driver = next != NULL ? next->driver_num : 0u;
    console->trace_subscribe = next != NULL ? next->subscribe_num : 0u;
}

static void trace_upcall_delivered(struct kernel_tracer *tracer, const struct process *p)
{
    struct process_console *console = CONTAINER_OF(tracer, struct process_console, tracer);
    const uint32_t *a = arch_syscall_args(&p->context);
    debug_printf("[trace] %s: %s %s(0x%x) %u (0x%x, 0x%x, 0x%x)\n", p->name,
                 console->is_trace_waiting ? "wait-for returns" : "upcall",
                 driver_name(console->trace_driver), (unsigned)console->trace_driver,
                 (unsigned)console->trace_subscribe, (unsigned)a[0], (unsigned)a[1],
                 (unsigned)a[2]);
}

/* ---------------------------------------------------------------- setup */

static const struct hil_uart_rx_client_ops process_console_rx_ops = {
    .received = received,
};
static const struct kernel_tracer_ops process_console_tracer_ops = {
    .syscall_entered = trace_syscall_entered,
    .syscall_returned = trace_syscall_returned,
    .upcall_coming = trace_upcall_coming,
    .upcall_delivered = trace_upcall_delivered,
};

err_t process_console_init(struct process_console *console, struct hil_uart_rx *rx,
                           struct kernel *k, struct console *app_console,
                           const struct process_console_config *config)
{
    /* Field by field, not one compound literal: that would zero the line editor's buffers
     * (a few hundred bytes, at every boot), which are written before they are read. */
    console->rx_client = (struct hil_uart_rx_client){ .ops = &process_console_rx_ops };
    console->rx = rx;
    console->kernel = k;
    console->app_console = app_console;
    console->config = config;
    console->is_receiving = false;
    console->is_stopped = false;
    console->receive_failures = 0;
    console->trace_len = 0;
    console->exit_hook = (struct process_exit_hook){ .on_exit = process_exited };
    console->tracer = (struct kernel_tracer){ .ops = &process_console_tracer_ops };
    line_editor_init(&console->editor, echo, NULL);
    err_t err = deferred_call_register(&console->listen, listen_again, console);
    if (err != ERR_OK) {
        return err;
    }
    hil_uart_rx_set_client(rx, &console->rx_client);
    kernel_add_exit_hook(k, &console->exit_hook);
    kernel_set_tracer(k, &console->tracer);
    err = hil_uart_rx_receive(rx, &console->rx_byte, 1);
    console->is_receiving = err == ERR_OK;
    return err;
}
