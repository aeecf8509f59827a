/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * QEMU TCG plugin for `make bench`: counts every guest instruction executed since reset and
 * reports the count whenever execution reaches a marker address or a `wfi`.
 *
 * Arguments (QEMU 7.x: -plugin insn_count.so,out=FILE,marks=ADDR:ADDR:...):
 *   out=FILE         where to write the report (one line per event, flushed at once)
 *   marks=LIST       colon-separated hex addresses of marker instructions (at most MAX_MARKS)
 *   arch=arm|riscv   which `wfi` encoding to recognise
 *   trace=START:END  optional (tools/bench.py --profile): also log the address of every
 *                    instruction executed from marker START (0 = from reset) up to marker END;
 *                    both must be in `marks`
 * Report lines:
 *   M <addr> <n>   the instruction at <addr> is about to execute; <n> instructions ran before it
 *   W <n>          a `wfi` is about to execute; <n> instructions ran before it
 *   T <addr>       (trace mode) the instruction at <addr> executes (after its M or W line)
 * So for two markers X then Y, n(Y) - n(X) is the number of instructions executed from X
 * (inclusive) to Y (exclusive), whatever ran in between (kernel, exceptions, other processes).
 *
 * Every instruction but the watched ones gets an inline counter increment (a callback in trace
 * mode); a watched one gets a callback that records the count and then adds its own 1, so the
 * order QEMU runs inline ops and callbacks in does not matter. An I/O instruction replayed by
 * icount is re-translated with memory instrumentation only (CF_MEMI_ONLY), so nothing is counted
 * twice.
 *
 * Only the few API entry points used are declared here (QEMU plugin API version 1, as in QEMU
 * 7.2; Debian ships no qemu-plugin.h).
 *
 * Usage: tools/bench.py builds it (host cc -shared -fPIC) into build/bench/insn_count.so and
 * passes it to QEMU together with -icount shift=0,align=off,sleep=off.
 *
 * Invariants: one vCPU (the counter is a plain global); every executed instruction adds exactly
 * one to `count`, whether it carries an inline op or a callback; report lines appear in
 * execution order.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))
#define MAX_MARKS 256

typedef uint64_t qemu_plugin_id_t;
typedef struct qemu_info_t qemu_info_t; /* only passed through */
struct qemu_plugin_tb;
struct qemu_plugin_insn;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
                                            qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn,
                                                enum qemu_plugin_op op, void *ptr, uint64_t imm);

EXPORT int qemu_plugin_version = 1;
EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc,
                               char **argv);

static uint64_t count;
static uint64_t marks[MAX_MARKS];
static size_t mark_count;
static bool riscv;
static FILE *out;
static bool trace_mode;
static uint64_t trace_start;
static uint64_t trace_end;
static bool tracing;

static bool is_mark(uint64_t vaddr)
{
    for (size_t i = 0; i < mark_count; i++) {
        if (marks[i] == vaddr) {
            return true;
        }
    }
    return false;
}

static bool is_wfi(const struct qemu_plugin_insn *insn)
{
    const uint8_t *b = qemu_plugin_insn_data(insn);
    size_t size = qemu_plugin_insn_size(insn);
    if (riscv) {
        return size == 4 && b[0] == 0x73 && b[1] == 0x00 && b[2] == 0x50 && b[3] == 0x10;
    }
    return size == 2 && b[0] == 0x30 && b[1] == 0xBF; /* Thumb WFI 0xBF30 */
}

static void trace(uint64_t vaddr)
{
    if (tracing) {
        fprintf(out, "T %llx\n", (unsigned long long)vaddr);
    }
}

static void on_insn(unsigned int vcpu, void *userdata)
{
    (void)vcpu;
    trace((uintptr_t)userdata);
    count++;
}

static void on_mark(unsigned int vcpu, void *userdata)
{
    (void)vcpu;
    uint64_t vaddr = (uintptr_t)userdata;
    if (trace_mode && vaddr == trace_end) {
        tracing = false;
    }
    if (trace_mode && vaddr == trace_start) {
        tracing = true;
    }
    fprintf(out, "M %llx %llu\n", (unsigned long long)vaddr, (unsigned long long)count);
    trace(vaddr);
    fflush(out);
    count++;
}

static void on_wfi(unsigned int vcpu, void *userdata)
{
    (void)vcpu;
    fprintf(out, "W %llu\n", (unsigned long long)count);
    trace((uintptr_t)userdata);
    fflush(out);
    count++;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    size_t n = qemu_plugin_tb_n_insns(tb);
    for (size_t i = 0; i < n; i++) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        uint64_t vaddr = qemu_plugin_insn_vaddr(insn);
        void *userdata = (void *)(uintptr_t)vaddr;
        if (is_mark(vaddr)) {
            qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark, QEMU_PLUGIN_CB_NO_REGS,
                                                   userdata);
        } else if (is_wfi(insn)) {
            qemu_plugin_register_vcpu_insn_exec_cb(insn, on_wfi, QEMU_PLUGIN_CB_NO_REGS,
                                                   userdata);
        } else if (trace_mode) {
            qemu_plugin_register_vcpu_insn_exec_cb(insn, on_insn, QEMU_PLUGIN_CB_NO_REGS,
                                                   userdata);
        } else {
            qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &count,
                                                       1);
        }
    }
}

/* Parse colon-separated hex addresses into list[0..max); returns how many, or -1. */
static int parse_addresses(char *text, uint64_t *list, size_t max)
{
    size_t n = 0;
    for (char *tok = strtok(text, ":"); tok != NULL; tok = strtok(NULL, ":")) {
        char *end;
        if (n == max) {
            return -1;
        }
        list[n++] = strtoull(tok, &end, 16);
        if (*end != '\0') {
            return -1;
        }
    }
    return (int)n;
}

int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
    (void)info;
    const char *path = NULL;
    for (int i = 0; i < argc; i++) {
        uint64_t window[2];
        int n;
        if (strncmp(argv[i], "out=", 4) == 0) {
            path = argv[i] + 4;
        } else if (strncmp(argv[i], "marks=", 6) == 0) {
            n = parse_addresses(argv[i] + 6, marks, MAX_MARKS);
            if (n < 0) {
                fprintf(stderr, "insn_count: bad marks list\n");
                return 1;
            }
            mark_count = (size_t)n;
        } else if (strncmp(argv[i], "trace=", 6) == 0) {
            if (parse_addresses(argv[i] + 6, window, 2) != 2) {
                fprintf(stderr, "insn_count: trace needs START:END\n");
                return 1;
            }
            trace_mode = true;
            trace_start = window[0];
            trace_end = window[1];
            tracing = trace_start == 0;
        } else if (strcmp(argv[i], "arch=riscv") == 0) {
            riscv = true;
        } else if (strcmp(argv[i], "arch=arm") == 0) {
            riscv = false;
        } else {
            fprintf(stderr, "insn_count: unknown argument %s\n", argv[i]);
            return 1;
        }
    }
    out = path != NULL ? fopen(path, "w") : NULL;
    if (out == NULL) {
        fprintf(stderr, "insn_count: need a writable out=FILE\n");
        return 1;
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
    return 0;
}
