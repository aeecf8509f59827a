/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Fake grants (see fake_grant.h): kernel/grant.h over static host tables.
 *
 * Usage: see fake_grant.h.
 *
 * Invariants: grants[0..grant_count) are the created grants, grant->index is their position;
 * instances[g][p] belongs to the process in slot p while processes[p].is_alive; is_entered[g]
 * is true only while grant_enter or grant_each of grant g runs.
 */
#include "fake_grant.h"

#include <setjmp.h>
#include <stdarg.h>
#include <string.h>

#include <cmocka.h>

struct grant_kernel_data {
    struct grant *grant;
    uint32_t slot;
};

struct fake_process {
    bool is_alive;
    bool is_nomem;
    bool is_upcall_queue_full;
    struct process_id pid;
};

struct fake_instance {
    bool is_allocated;
    union {
        uint64_t align;
        uint8_t bytes[FAKE_GRANT_DATA_MAX];
    } data;
    const void *ro[FAKE_GRANT_MAX_SLOTS];
    size_t ro_len[FAKE_GRANT_MAX_SLOTS];
    void *rw[FAKE_GRANT_MAX_SLOTS];
    size_t rw_len[FAKE_GRANT_MAX_SLOTS];
    void *ur[FAKE_GRANT_MAX_SLOTS];
    size_t ur_len[FAKE_GRANT_MAX_SLOTS];
};

static struct grant *grants[FAKE_GRANT_MAX_GRANTS];
static uint32_t grant_count;
static bool is_entered[FAKE_GRANT_MAX_GRANTS];
static err_t next_create_failure;
static struct fake_process processes[FAKE_GRANT_MAX_PROCESSES];
static uint32_t next_process_id;
static struct fake_instance instances[FAKE_GRANT_MAX_GRANTS][FAKE_GRANT_MAX_PROCESSES];
static struct grant_kernel_data kernel_data[FAKE_GRANT_MAX_GRANTS][FAKE_GRANT_MAX_PROCESSES];
static struct fake_upcall upcalls[FAKE_GRANT_MAX_UPCALLS];
static size_t upcall_count;

void fake_grant_reset(void)
{
    memset(grants, 0, sizeof grants);
    grant_count = 0;
    memset(is_entered, 0, sizeof is_entered);
    next_create_failure = ERR_OK;
    memset(processes, 0, sizeof processes);
    next_process_id = 0;
    memset(instances, 0, sizeof instances);
    memset(kernel_data, 0, sizeof kernel_data);
    memset(upcalls, 0, sizeof upcalls);
    upcall_count = 0;
}

void fake_grant_fail_next_create(err_t err)
{
    next_create_failure = err;
}

bool fake_grant_is_entered(void)
{
    for (uint32_t g = 0; g < grant_count; g++) {
        if (is_entered[g]) {
            return true;
        }
    }
    return false;
}

static uint32_t checked_grant(const struct grant *g)
{
    if (g->index >= grant_count || grants[g->index] != g) {
        fail_msg("fake_grant: grant was not created");
    }
    return g->index;
}

static struct fake_process *live_process(struct process_id pid)
{
    if (pid.index >= FAKE_GRANT_MAX_PROCESSES) {
        return NULL;
    }
    struct fake_process *p = &processes[pid.index];
    return p->is_alive && process_id_equal(p->pid, pid) ? p : NULL;
}

err_t grant_create(struct grant *g, struct kernel *k, const struct grant_config *config)
{
    if (next_create_failure != ERR_OK) {
        err_t err = next_create_failure;
        next_create_failure = ERR_OK;
        return err;
    }
    uint32_t align = config->data_align;
    if (align == 0 || align > 8 || (align & (align - 1)) != 0) {
        return ERR_INVAL;
    }
    for (uint32_t i = 0; i < grant_count; i++) {
        if (grants[i]->driver_num == config->driver_num) {
            return ERR_ALREADY;
        }
    }
    if (grant_count >= FAKE_GRANT_MAX_GRANTS) {
        return ERR_NOMEM;
    }
    if (config->data_size > FAKE_GRANT_DATA_MAX || config->upcalls > FAKE_GRANT_MAX_SLOTS ||
        config->read_only > FAKE_GRANT_MAX_SLOTS || config->read_write > FAKE_GRANT_MAX_SLOTS ||
        config->userspace_readable > FAKE_GRANT_MAX_SLOTS) {
        fail_msg("fake_grant: grant larger than the fake supports");
    }
    *g = (struct grant){
        .kernel = k,
        .driver_num = config->driver_num,
        .index = grant_count,
        .data_size = config->data_size,
        .data_align = config->data_align,
        .upcalls = config->upcalls,
        .read_only = config->read_only,
        .read_write = config->read_write,
        .userspace_readable = config->userspace_readable,
    };
    grants[grant_count++] = g;
    return ERR_OK;
}

/* The instance of (g, pid), allocated if needed; NULL with *err set when it cannot be. */
static struct fake_instance *instance_for(uint32_t g, struct process_id pid, err_t *err)
{
    struct fake_process *p = live_process(pid);
    if (p == NULL) {
        *err = ERR_INVAL;
        return NULL;
    }
    struct fake_instance *inst = &instances[g][pid.index];
    if (!inst->is_allocated) {
        if (p->is_nomem) {
            *err = ERR_NOMEM;
            return NULL;
        }
        memset(inst, 0, sizeof *inst);
        inst->is_allocated = true;
        kernel_data[g][pid.index] = (struct grant_kernel_data){ .grant = grants[g],
                                                                .slot = pid.index };
    }
    return inst;
}

err_t grant_enter(struct grant *g, struct process_id pid, grant_fn fn, void *ctx)
{
    uint32_t index = checked_grant(g);
    if (is_entered[index]) {
        fail_msg("fake_grant: grant entered twice (the kernel panics)");
    }
    err_t err = ERR_OK;
    struct fake_instance *inst = instance_for(index, pid, &err);
    if (inst == NULL) {
        return err;
    }
    is_entered[index] = true;
    err = fn(inst->data.bytes, &kernel_data[index][pid.index], ctx);
    is_entered[index] = false;
    return err;
}

void grant_each(struct grant *g, grant_each_fn fn, void *ctx)
{
    uint32_t index = checked_grant(g);
    if (is_entered[index]) {
        fail_msg("fake_grant: grant_each inside an entered grant (the kernel panics)");
    }
    for (uint32_t slot = 0; slot < FAKE_GRANT_MAX_PROCESSES; slot++) {
        struct fake_instance *inst = &instances[index][slot];
        if (!processes[slot].is_alive || !inst->is_allocated) {
            continue;
        }
        is_entered[index] = true;
        fn(processes[slot].pid, inst->data.bytes, &kernel_data[index][slot], ctx);
        is_entered[index] = false;
    }
}

bool grant_is_allocated(struct grant *g, struct process_id pid)
{
    uint32_t index = checked_grant(g);
    return live_process(pid) != NULL && instances[index][pid.index].is_allocated;
}

struct process_id grant_process(const struct grant_kernel_data *kd)
{
    return processes[kd->slot].pid;
}

err_t grant_schedule_upcall(struct grant_kernel_data *kd, uint32_t subscribe_num, uint32_t arg0,
                            uint32_t arg1, uint32_t arg2)
{
    if (subscribe_num >= kd->grant->upcalls) {
        return ERR_INVAL;
    }
    if (processes[kd->slot].is_upcall_queue_full) {
        return ERR_NOMEM;
    }
    if (upcall_count >= FAKE_GRANT_MAX_UPCALLS) {
        fail_msg("fake_grant: upcall record full");
    }
    upcalls[upcall_count++] = (struct fake_upcall){
        .driver_num = kd->grant->driver_num,
        .pid = processes[kd->slot].pid,
        .subscribe_num = subscribe_num,
        .args = { arg0, arg1, arg2 },
        .is_removed = false,
    };
    return ERR_OK;
}

void grant_remove_pending_upcalls(struct grant_kernel_data *kd, uint32_t subscribe_num)
{
    struct process_id pid = processes[kd->slot].pid;
    for (size_t i = 0; i < upcall_count; i++) {
        if (upcalls[i].driver_num == kd->grant->driver_num &&
            process_id_equal(upcalls[i].pid, pid) && upcalls[i].subscribe_num == subscribe_num) {
            upcalls[i].is_removed = true;
        }
    }
}

static struct fake_instance *kd_instance(const struct grant_kernel_data *kd)
{
    return &instances[kd->grant->index][kd->slot];
}

size_t grant_ro_len(const struct grant_kernel_data *kd, uint32_t n)
{
    return n < kd->grant->read_only ? kd_instance(kd)->ro_len[n] : 0;
}

size_t grant_rw_len(const struct grant_kernel_data *kd, uint32_t n)
{
    return n < kd->grant->read_write ? kd_instance(kd)->rw_len[n] : 0;
}

bool grant_ro_is_set(const struct grant_kernel_data *kd, uint32_t n)
{
    return n < kd->grant->read_only && kd_instance(kd)->ro[n] != NULL;
}

bool grant_rw_is_set(const struct grant_kernel_data *kd, uint32_t n)
{
    return n < kd->grant->read_write && kd_instance(kd)->rw[n] != NULL;
}

size_t grant_ur_len(const struct grant_kernel_data *kd, uint32_t n)
{
    return n < kd->grant->userspace_readable ? kd_instance(kd)->ur_len[n] : 0;
}

/* SAFETY (the casts below): allow buffers are host memory the test handed
 * to fake_process_allow_*() with their length; every access is first checked by fits(). */
static bool fits(size_t buf_len, size_t offset, size_t len)
{
    return offset <= buf_len && len <= buf_len - offset;
}

err_t grant_ro_read(const struct grant_kernel_data *kd, uint32_t n, size_t offset, void *dst,
                    size_t len)
{
    if (!fits(grant_ro_len(kd, n), offset, len)) {
        return ERR_SIZE;
    }
    if (len > 0) {
        memcpy(dst, (const uint8_t *)kd_instance(kd)->ro[n] + offset, len);
    }
    return ERR_OK;
}

err_t grant_rw_read(const struct grant_kernel_data *kd, uint32_t n, size_t offset, void *dst,
                    size_t len)
{
    if (!fits(grant_rw_len(kd, n), offset, len)) {
        return ERR_SIZE;
    }
    if (len > 0) {
        memcpy(dst, (const uint8_t *)kd_instance(kd)->rw[n] + offset, len);
    }
    return ERR_OK;
}

err_t grant_rw_write(struct grant_kernel_data *kd, uint32_t n, size_t offset, const void *src,
                     size_t len)
{
    if (!fits(grant_rw_len(kd, n), offset, len)) {
        return ERR_SIZE;
    }
    if (len > 0) {
        memcpy((uint8_t *)kd_instance(kd)->rw[n] + offset, src, len);
    }
    return ERR_OK;
}

err_t grant_ur_write(struct grant_kernel_data *kd, uint32_t n, size_t offset, const void *src,
                     size_t len)
{
    if (!fits(grant_ur_len(kd, n), offset, len)) {
        return ERR_SIZE;
    }
    if (len > 0) {
        memcpy((uint8_t *)kd_instance(kd)->ur[n] + offset, src, len);
    }
    return ERR_OK;
}

struct process_id fake_process_create(void)
{
    for (uint32_t slot = 0; slot < FAKE_GRANT_MAX_PROCESSES; slot++) {
        if (!processes[slot].is_alive) {
            processes[slot] = (struct fake_process){
                .is_alive = true,
                .pid = { .index = slot, .id = next_process_id++ },
            };
            for (uint32_t g = 0; g < FAKE_GRANT_MAX_GRANTS; g++) {
                memset(&instances[g][slot], 0, sizeof instances[g][slot]);
            }
            return processes[slot].pid;
        }
    }
    fail_msg("fake_grant: process table full");
    return (struct process_id){ 0, 0 };
}

void fake_process_kill(struct process_id pid)
{
    if (live_process(pid) == NULL) {
        fail_msg("fake_grant: killing a process that is not alive");
    }
    processes[pid.index].is_alive = false;
    for (uint32_t g = 0; g < FAKE_GRANT_MAX_GRANTS; g++) {
        memset(&instances[g][pid.index], 0, sizeof instances[g][pid.index]);
    }
}

bool fake_process_is_alive(struct process_id pid)
{
    return live_process(pid) != NULL;
}

void fake_process_set_nomem(struct process_id pid, bool is_nomem)
{
    if (live_process(pid) == NULL) {
        fail_msg("fake_grant: process is not alive");
    }
    processes[pid.index].is_nomem = is_nomem;
}

void fake_process_set_upcall_queue_full(struct process_id pid, bool is_full)
{
    if (live_process(pid) == NULL) {
        fail_msg("fake_grant: process is not alive");
    }
    processes[pid.index].is_upcall_queue_full = is_full;
}

static struct fake_instance *allow_target(struct process_id pid, uint32_t driver_num,
                                          uint32_t n, uint8_t declared)
{
    for (uint32_t g = 0; g < grant_count; g++) {
        if (grants[g]->driver_num != driver_num) {
            continue;
        }
        if (n >= declared) {
            fail_msg("fake_grant: allow slot %u not declared", (unsigned)n);
        }
        err_t err = ERR_OK;
        struct fake_instance *inst = instance_for(g, pid, &err);
        if (inst == NULL) {
            fail_msg("fake_grant: allow for a process without an instance (%s)", err_name(err));
        }
        return inst;
    }
    fail_msg("fake_grant: no grant for driver 0x%x", (unsigned)driver_num);
    return NULL;
}

static struct grant *grant_for_driver(uint32_t driver_num)
{
    for (uint32_t g = 0; g < grant_count; g++) {
        if (grants[g]->driver_num == driver_num) {
            return grants[g];
        }
    }
    fail_msg("fake_grant: no grant for driver 0x%x", (unsigned)driver_num);
    return NULL;
}

void fake_process_allow_ro(struct process_id pid, uint32_t driver_num, uint32_t n,
                           const void *buf, size_t len)
{
    struct fake_instance *inst =
        allow_target(pid, driver_num, n, grant_for_driver(driver_num)->read_only);
    inst->ro[n] = buf;
    inst->ro_len[n] = buf != NULL ? len : 0;
}

void fake_process_allow_rw(struct process_id pid, uint32_t driver_num, uint32_t n, void *buf,
                           size_t len)
{
    struct fake_instance *inst =
        allow_target(pid, driver_num, n, grant_for_driver(driver_num)->read_write);
    inst->rw[n] = buf;
    inst->rw_len[n] = buf != NULL ? len : 0;
}

void fake_process_allow_ur(struct process_id pid, uint32_t driver_num, uint32_t n, void *buf,
                           size_t len)
{
    struct fake_instance *inst =
        allow_target(pid, driver_num, n, grant_for_driver(driver_num)->userspace_readable);
    inst->ur[n] = len > 0 ? buf : NULL;
    inst->ur_len[n] = buf != NULL ? len : 0;
}

size_t fake_grant_upcall_count(void)
{
    return upcall_count;
}

const struct fake_upcall *fake_grant_upcall(size_t i)
{
    if (i >= upcall_count) {
        fail_msg("fake_grant: no upcall #%zu (only %zu)", i, upcall_count);
    }
    return &upcalls[i];
}

size_t fake_grant_upcall_count_for(uint32_t driver_num, struct process_id pid,
                                   uint32_t subscribe_num)
{
    size_t count = 0;
    for (size_t i = 0; i < upcall_count; i++) {
        if (!upcalls[i].is_removed && upcalls[i].driver_num == driver_num &&
            process_id_equal(upcalls[i].pid, pid) && upcalls[i].subscribe_num == subscribe_num) {
            count++;
        }
    }
    return count;
}

void fake_grant_clear_upcalls(void)
{
    memset(upcalls, 0, sizeof upcalls);
    upcall_count = 0;
}
