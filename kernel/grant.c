/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Grants (see grant.h and grant_internal.h): allocation from the top of process RAM, scoped
 * entry, upcall scheduling and bounds-checked access to allowed buffers.
 *
 * Invariants: p->grant_pointers[g->index] is 0 or the address of g's instance inside
 * [p->kernel_brk, mem_end); bit g->index of p->grants_entered is set exactly while a grant_fn for
 * (g, p) runs.
 */
#include "kernel/arch.h"
#include "kernel/debug.h"
#include "kernel/grant_internal.h"
#include "kernel/kernel.h"

#include <stddef.h>

#define GRANT_MAX_DATA_SIZE 0x40000000u

struct grant_kernel_data {
    struct process *process;
    struct grant *grant;
    uintptr_t base;
};

/* Words of slots before kind's first slot: the kinds are laid out in enum order. */
static uint32_t layout_words_before(const struct grant *g, enum grant_slot_kind kind)
{
    uint32_t slots = 0;
    switch (kind) {
    case GRANT_SLOT_USERSPACE_READABLE:
        slots += g->read_write;
        /* fall through */
    case GRANT_SLOT_READ_WRITE:
        slots += g->read_only;
        /* fall through */
    case GRANT_SLOT_READ_ONLY:
        slots += g->upcalls;
        /* fall through */
    case GRANT_SLOT_UPCALL:
        break;
    }
    return slots * 2u;
}

static uint32_t slot_words_before(const struct grant *g, enum grant_slot_kind kind)
{
    return g->slot_words[kind];
}

static inline __attribute__((always_inline)) uint32_t slot_count(const struct grant *g,
                                                                  enum grant_slot_kind kind)
{
    return g->slot_counts[kind];
}

static uint32_t layout_header_bytes(const struct grant *g)
{
    uint32_t words = layout_words_before(g, GRANT_SLOT_USERSPACE_READABLE) +
                     2u * g->userspace_readable;
    uint32_t bytes = words * 4u;
    return (bytes + g->data_align - 1u) & ~(g->data_align - 1u);
}

static uint32_t header_size(const struct grant *g)
{
    return g->header_bytes;
}

err_t grant_create(struct grant *g, struct kernel *k, const struct grant_config *config)
{
    if (k->processes_loaded) {
        return ERR_ALREADY;
    }
    if (config->data_align == 0 || config->data_align > 8 ||
        (config->data_align & (config->data_align - 1)) != 0 ||
        config->data_size > GRANT_MAX_DATA_SIZE) {
        return ERR_INVAL;
    }
    uint32_t declared = config->upcalls >= 32u ? 0xFFFFFFFFu : (1u << config->upcalls) - 1u;
    if ((config->latched_upcalls & ~declared) != 0) {
        return ERR_INVAL;
    }
    /* The lowest latched subscribe (it is below upcalls, checked above). */
    uint8_t ring_upcalls = config->latched_upcalls != 0
                               ? (uint8_t)__builtin_ctz(config->latched_upcalls)
                               : config->upcalls;
    for (uint32_t i = 0; i < k->grant_count; i++) {
        if (k->grants[i]->driver_num == config->driver_num) {
            return ERR_ALREADY;
        }
    }
    if (k->grant_count >= PROCESS_MAX_GRANTS) {
        return ERR_NOMEM;
    }
    *g = (struct grant){
        .kernel = k,
        .driver_num = config->driver_num,
        .index = k->grant_count,
        .data_size = config->data_size,
        .data_align = config->data_align < 4 ? 4 : config->data_align,
        .upcalls = config->upcalls,
        .read_only = config->read_only,
        .read_write = config->read_write,
        .userspace_readable = config->userspace_readable,
        .latched_upcalls = config->latched_upcalls,
        .ring_upcalls = ring_upcalls,
    };
    for (uint32_t kind = GRANT_SLOT_UPCALL; kind <= GRANT_SLOT_USERSPACE_READABLE; kind++) {
        g->slot_words[kind] = (uint16_t)layout_words_before(g, (enum grant_slot_kind)kind);
    }
    g->header_bytes = layout_header_bytes(g);
    k->grants[k->grant_count++] = g;
    return ERR_OK;
}

/* Allocate g's instance for p below its kernel break. */
static err_t allocate(struct process *p, struct grant *g)
{
    uint32_t size = header_size(g) + ((g->data_size + 7u) & ~7u);
    if (size > p->kernel_brk - p->app_brk) {
        return ERR_NOMEM;
    }
    uintptr_t new_brk = (p->kernel_brk - size) & ~(uintptr_t)7u;
    if (new_brk < p->app_brk) {
        return ERR_NOMEM;
    }
    if (arch_mpu_update_app_brk(&p->mpu, p->app_brk, new_brk) != ERR_OK) {
        return ERR_NOMEM;
    }
    /* SAFETY: [new_brk, kernel_brk) is process RAM above the app break: kernel-owned now.
     * memset moves whole words. */
    __builtin_memset((void *)new_brk, 0, p->kernel_brk - new_brk);
    p->kernel_brk = new_brk;
    p->grant_pointers[g->index] = new_brk;
    return ERR_OK;
}

err_t grant_slot(struct kernel *k, struct process *p, struct grant *g, enum grant_slot_kind kind,
                 uint32_t n, uint32_t **slot)
{
    (void)k;
    if (g == NULL) {
        return ERR_NOMEM;
    }
    uintptr_t base = p->grant_pointers[g->index];
    if (base == 0) {
        err_t err = allocate(p, g);
        if (err != ERR_OK) {
            return err;
        }
        base = p->grant_pointers[g->index];
    }
    if (n >= slot_count(g, kind)) {
        return ERR_NOSUPPORT;
    }
    /* SAFETY: the instance was allocated with header_size(g) bytes of slots at its base. */
    *slot = (uint32_t *)base + slot_words_before(g, kind) + 2u * n;
    return ERR_OK;
}

/* grant_enter and grant_enter_existing: one body, the flag a constant in each. */
static inline __attribute__((always_inline)) err_t enter(struct grant *g, struct process_id pid,
                                                         grant_fn fn, void *ctx,
                                                         bool may_allocate)
{
    struct process *p = kernel_process(g->kernel, pid);
    if (p == NULL) {
        return may_allocate ? ERR_INVAL : ERR_NODEVICE;
    }
    uint32_t bit = 1u << g->index;
    if ((p->grants_entered & bit) != 0) {
        kernel_panic("grant entered twice");
    }
    uintptr_t base = p->grant_pointers[g->index];
    if (base == 0) {
        if (!may_allocate) {
            return ERR_NODEVICE;
        }
        err_t err = allocate(p, g);
        if (err != ERR_OK) {
            return err;
        }
        base = p->grant_pointers[g->index];
    }
    struct grant_kernel_data kd = { p, g, base };
    p->grants_entered |= bit;
    /* SAFETY: data follows the slot header and is aligned to data_align. */
    err_t result = fn((void *)(base + header_size(g)), &kd, ctx);
    p->grants_entered &= ~bit;
    return result;
}

err_t grant_enter(struct grant *g, struct process_id pid, grant_fn fn, void *ctx)
{
    return enter(g, pid, fn, ctx, true);
}

err_t grant_enter_existing(struct grant *g, struct process_id pid, grant_fn fn, void *ctx)
{
    return enter(g, pid, fn, ctx, false);
}

void grant_each(struct grant *g, grant_each_fn fn, void *ctx)
{
    struct kernel *k = g->kernel;
    uint32_t index = g->index, bit = 1u << index;
    struct process *end = &k->config.processes[k->slot_limit]; /* the rest are EMPTY */
    for (struct process *p = k->config.processes; p < end; p++) {
        /* The pointer first: it is 0 in every slot without this grant, dead ones included. */
        if (p->grant_pointers[index] == 0 || !process_is_alive(p)) {
            continue;
        }
        if ((p->grants_entered & bit) != 0) {
            kernel_panic("grant_each inside grant_enter");
        }
        struct grant_kernel_data kd = { p, g, p->grant_pointers[g->index] };
        p->grants_entered |= bit;
        fn(p->pid, (void *)(kd.base + header_size(g)), &kd, ctx);
        p->grants_entered &= ~bit;
    }
}

_Bool grant_is_allocated(struct grant *g, struct process_id pid)
{
    struct process *p = kernel_process(g->kernel, pid);
    return p != NULL && p->grant_pointers[g->index] != 0;
}

struct process_id grant_process(const struct grant_kernel_data *kd)
{
    return kd->process->pid;
}

struct process *grant_entered_process(const struct grant_kernel_data *kd)
{
    return kd->process;
}

/* grant_slots_of(kd, kind, n, 1), kept as its own one-compare test: it is on every upcall and
 * allow access, and routing it through the general range check cost 17-58 instructions on the
 * benchmarked paths. */
static inline __attribute__((always_inline)) const uint32_t *
declared_slot(const struct grant_kernel_data *kd, enum grant_slot_kind kind, uint32_t n)
{
    /* SAFETY: n < slot_count(kind) (the caller checked): inside the instance's slot header. */
    const uint32_t *words = (const uint32_t *)kd->base;
    return &words[slot_words_before(kd->grant, kind) + 2u * n];
}

/* Slot n of kind, NULL if undeclared: the allow accessors share this one copy. */
static const uint32_t *slot_at(const struct grant_kernel_data *kd, enum grant_slot_kind kind,
                               uint32_t n)
{
    return n < slot_count(kd->grant, kind) ? declared_slot(kd, kind, n) : NULL;
}

const uint32_t *grant_slots_of(const struct grant_kernel_data *kd, enum grant_slot_kind kind,
                               uint32_t first, uint32_t count)
{
    uint32_t declared = slot_count(kd->grant, kind);
    if (first > declared || count > declared - first) {
        return NULL;
    }
    const uint32_t *words = (const uint32_t *)kd->base;
    return &words[slot_words_before(kd->grant, kind) + 2u * first];
}

/* Fill in the task of an event on a declared subscribe (its arguments are in already), as
 * the process subscribed it now. */
static inline __attribute__((always_inline)) void
fill_task(const struct grant_kernel_data *kd, uint32_t subscribe_num, struct upcall_task *task)
{
    const uint32_t *slot = declared_slot(kd, GRANT_SLOT_UPCALL, subscribe_num);
    task->kind = slot[0] != 0 ? UPCALL_FUNCTION : UPCALL_NULL_RECORD;
    task->driver_num = kd->grant->driver_num;
    task->subscribe_num = subscribe_num;
    task->fn = slot[0];
    task->args[3] = slot[1];
}

/* grant_schedule_upcall for a subscribe at or above ring_upcalls: undeclared, latched, or an
 * ordinary one above the first latched. Out of line, so the common case pays nothing; task
 * holds the event's three arguments. */
__attribute__((noinline)) static err_t schedule_above_ring(struct grant_kernel_data *kd,
                                                          uint32_t subscribe_num,
                                                          struct upcall_task *task)
{
    const struct grant *g = kd->grant;
    if (subscribe_num >= slot_count(g, GRANT_SLOT_UPCALL)) {
        return ERR_INVAL;
    }
    fill_task(kd, subscribe_num, task);
    bool is_latched = subscribe_num < 32u && (g->latched_upcalls >> subscribe_num & 1u) != 0;
    err_t err = kernel_enqueue_upcall_above_ring(g->kernel, kd->process, task, is_latched);
    return err == ERR_FAIL ? ERR_INVAL : err;
}

err_t grant_schedule_upcall(struct grant_kernel_data *kd, uint32_t subscribe_num, uint32_t arg0,
                            uint32_t arg1, uint32_t arg2)
{
    struct upcall_task task;
    task.args[0] = arg0;
    task.args[1] = arg1;
    task.args[2] = arg2;
    if (subscribe_num >= kd->grant->ring_upcalls) {
        return schedule_above_ring(kd, subscribe_num, &task);
    }
    fill_task(kd, subscribe_num, &task);
    err_t err = kernel_enqueue_upcall(kd->grant->kernel, kd->process, &task);
    return err == ERR_FAIL ? ERR_INVAL : err;
}

void grant_remove_pending_upcalls(struct grant_kernel_data *kd, uint32_t subscribe_num)
{
    upcall_queue_remove_all(&kd->process->queue, kd->grant->driver_num, subscribe_num);
}

bool grant_upcall_is_pending(const struct grant_kernel_data *kd, uint32_t subscribe_num)
{
    return upcall_queue_has_match(&kd->process->queue, kd->grant->driver_num, subscribe_num);
}

static size_t buffer_len(const struct grant_kernel_data *kd, enum grant_slot_kind kind, uint32_t n)
{
    const uint32_t *slot = slot_at(kd, kind, n);
    return slot == NULL ? 0 : slot[1];
}

size_t grant_ro_len(const struct grant_kernel_data *kd, uint32_t n)
{
    return buffer_len(kd, GRANT_SLOT_READ_ONLY, n);
}

size_t grant_rw_len(const struct grant_kernel_data *kd, uint32_t n)
{
    return buffer_len(kd, GRANT_SLOT_READ_WRITE, n);
}

bool grant_ro_is_set(const struct grant_kernel_data *kd, uint32_t n)
{
    const uint32_t *slot = slot_at(kd, GRANT_SLOT_READ_ONLY, n);
    return slot != NULL && slot[0] != 0;
}

bool grant_rw_is_set(const struct grant_kernel_data *kd, uint32_t n)
{
    const uint32_t *slot = slot_at(kd, GRANT_SLOT_READ_WRITE, n);
    return slot != NULL && slot[0] != 0;
}

size_t grant_ur_len(const struct grant_kernel_data *kd, uint32_t n)
{
    return buffer_len(kd, GRANT_SLOT_USERSPACE_READABLE, n);
}

/* The process address of [offset, offset+len) of buffer n, or 0 if it does not fit. */
static uintptr_t buffer_range(const struct grant_kernel_data *kd, enum grant_slot_kind kind,
                              uint32_t n, size_t offset, size_t len)
{
    const uint32_t *slot = slot_at(kd, kind, n);
    if (slot == NULL || offset > slot[1] || len > slot[1] - offset || slot[1] == 0) {
        return 0;
    }
    return (uintptr_t)slot[0] + offset;
}

static err_t copy_out(const struct grant_kernel_data *kd, enum grant_slot_kind kind, uint32_t n,
                      size_t offset, void *dst, size_t len)
{
    if (len == 0) {
        return ERR_OK;
    }
    uintptr_t src = buffer_range(kd, kind, n, offset, len);
    if (src == 0) {
        return ERR_SIZE;
    }
    /* SAFETY: the range was validated at allow time to lie in the process's RAM or flash, and
     * the allow high-water mark keeps the break above it. memcpy moves whole words when both
     * ends are aligned; the process is stopped, so nothing changes under the copy. */
    __builtin_memcpy(dst, (const void *)src, len);
    return ERR_OK;
}

static err_t copy_in(struct grant_kernel_data *kd, enum grant_slot_kind kind, uint32_t n,
                     size_t offset, const void *src, size_t len)
{
    if (len == 0) {
        return ERR_OK;
    }
    uintptr_t dst = buffer_range(kd, kind, n, offset, len);
    if (dst == 0) {
        return ERR_SIZE;
    }
    /* SAFETY: as in copy_out; read-write and userspace-readable buffers are always in RAM. */
    __builtin_memcpy((void *)dst, src, len);
    return ERR_OK;
}

err_t grant_ro_read(const struct grant_kernel_data *kd, uint32_t n, size_t offset, void *dst,
                    size_t len)
{
    return copy_out(kd, GRANT_SLOT_READ_ONLY, n, offset, dst, len);
}

err_t grant_rw_read(const struct grant_kernel_data *kd, uint32_t n, size_t offset, void *dst,
                    size_t len)
{
    return copy_out(kd, GRANT_SLOT_READ_WRITE, n, offset, dst, len);
}

err_t grant_rw_write(struct grant_kernel_data *kd, uint32_t n, size_t offset, const void *src,
                     size_t len)
{
    return copy_in(kd, GRANT_SLOT_READ_WRITE, n, offset, src, len);
}

err_t grant_ur_write(struct grant_kernel_data *kd, uint32_t n, size_t offset, const void *src,
                     size_t len)
{
    return copy_in(kd, GRANT_SLOT_USERSPACE_READABLE, n, offset, src, len);
}
