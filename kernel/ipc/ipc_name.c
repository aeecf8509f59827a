/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * IPC name registry (see ipc_name.h).
 *
 * Every per-process record lives in that process's IPC_NAME grant: its registrations, its
 * descriptor table and its waiting lookup. Lookups scan the grants of the live processes
 * (N <= 32, so O(N) is fine). Each command first copies what it needs out of the caller's grant,
 * then checks, then acts (rule 4, record 000); scans with grant_each happen outside any grant entry.
 *
 * Usage: see ipc_name.h.
 *
 * Invariants: registrations are unique by name among live processes; a descriptor's slot is
 * below the process count; LOOKUP of a name the caller already holds a descriptor for refreshes
 * and returns that descriptor, so repeated lookups cannot exhaust the table.
 */
#include "ipc/ipc_name.h"

#include "container.h"

#include <stddef.h>

enum {
    NAME_CMD_EXISTS = 0,
    NAME_CMD_REGISTER = 1,
    NAME_CMD_UNREGISTER = 2,
    NAME_CMD_LOOKUP = 3,
    NAME_CMD_REOPEN = 4,
    NAME_CMD_CLOSE = 5,
    NAME_CMD_SELF_BADGE = 6,
    NAME_CMD_DESC_STATUS = 7,
    NAME_ALLOW_NAME = 0,
    NAME_SUB_LOOKUP_DONE = 0,
};

struct name {
    uint8_t len; /* 0: unused */
    uint8_t bytes[IPC_NAME_LEN];
};

/* The identity first: it is 8-byte aligned (process_id.h), and the bytes after it pack. */
struct descriptor {
    struct process_id peer;
    struct name name; /* for REOPEN */
    bool is_used;
    uint8_t endpoint;
};

struct ipc_name_app {
    struct name endpoints[IPC_MAX_ENDPOINTS];
    struct descriptor descriptors[IPC_MAX_DESC];
    bool is_lookup_waiting;
    struct name waiting_for;
};

bool ipc_name_allow_all(const struct process *p, const uint8_t *name, size_t len)
{
    (void)p;
    (void)name;
    (void)len;
    return true;
}

enum ipc_desc_state ipc_peer_state(struct kernel *k, struct process_id pid)
{
    if (kernel_process(k, pid) != NULL) {
        return IPC_DESC_LIVE;
    }
    if (pid.index < k->config.process_count &&
        process_is_alive(&k->config.processes[pid.index])) {
        return IPC_DESC_RESTARTED;
    }
    return IPC_DESC_DEAD;
}

static bool name_equal(const struct name *a, const struct name *b)
{
    if (a->len != b->len) {
        return false;
    }
    for (uint32_t i = 0; i < a->len; i++) {
        if (a->bytes[i] != b->bytes[i]) {
            return false;
        }
    }
    return true;
}

/* ---- reading the name argument ---- */

static err_t read_allowed_name(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)data;
    struct name *out = ctx;
    size_t len = grant_ro_len(kd, NAME_ALLOW_NAME);
    if (len == 0) {
        return ERR_RESERVE;
    }
    if (len > IPC_NAME_LEN) {
        return ERR_SIZE;
    }
    out->len = (uint8_t)len;
    return grant_ro_read(kd, NAME_ALLOW_NAME, 0, out->bytes, len);
}

/* The name from RO allow 0: ERR_RESERVE (none), ERR_SIZE (too long), ERR_NOMEM (no grant). */
static err_t allowed_name(struct ipc_name *n, struct process_id pid, struct name *out)
{
    *out = (struct name){ .len = 0 };
    return grant_enter(&n->grant, pid, read_allowed_name, out);
}

/* The TBF package name: ERR_INVAL when the process has none or it is longer than a name. */
static err_t package_name(struct process *p, struct name *out)
{
    if (p->package_name_len == 0 || p->package_name_len > IPC_NAME_LEN) {
        return ERR_INVAL;
    }
    out->len = (uint8_t)p->package_name_len;
    for (uint32_t i = 0; i < out->len; i++) {
        out->bytes[i] = p->package_name[i];
    }
    return ERR_OK;
}

/* ---- finding a registration ---- */

struct find {
    const struct name *name;
    bool is_found;
    struct ipc_peer peer;
};

static void find_in(struct process_id pid, void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)kd;
    const struct ipc_name_app *app = data;
    struct find *f = ctx;
    for (uint32_t e = 0; e < IPC_MAX_ENDPOINTS; e++) {
        if (app->endpoints[e].len != 0 && name_equal(&app->endpoints[e], f->name)) {
            f->is_found = true;
            f->peer = (struct ipc_peer){ .pid = pid, .endpoint = e };
        }
    }
}

static bool find_registration(struct ipc_name *n, const struct name *name, struct ipc_peer *out)
{
    struct find f = { .name = name, .is_found = false };
    grant_each(&n->grant, find_in, &f);
    if (f.is_found) {
        *out = f.peer;
    }
    return f.is_found;
}

/* ---- descriptors ---- */

/* Index of the caller's descriptor for `name`, else of a free one, else IPC_MAX_DESC. */
static uint32_t descriptor_for(const struct ipc_name_app *app, const struct name *name)
{
    uint32_t free_index = IPC_MAX_DESC;
    for (uint32_t i = 0; i < IPC_MAX_DESC; i++) {
        const struct descriptor *d = &app->descriptors[i];
        if (d->is_used && name_equal(&d->name, name)) {
            return i;
        }
        if (!d->is_used && free_index == IPC_MAX_DESC) {
            free_index = i;
        }
    }
    return free_index;
}

/* Store a descriptor for `peer` under `name`: ERR_NOMEM when the table is full. */
static err_t open_descriptor(struct ipc_name_app *app, const struct name *name,
                             struct ipc_peer peer, uint32_t *desc)
{
    uint32_t i = descriptor_for(app, name);
    if (i == IPC_MAX_DESC) {
        return ERR_NOMEM;
    }
    app->descriptors[i] = (struct descriptor){
        .is_used = true, .endpoint = (uint8_t)peer.endpoint, .peer = peer.pid, .name = *name
    };
    *desc = i + 1u;
    return ERR_OK;
}

static struct descriptor *descriptor_at(struct ipc_name_app *app, uint32_t desc)
{
    if (desc == 0 || desc > IPC_MAX_DESC || !app->descriptors[desc - 1u].is_used) {
        return NULL;
    }
    return &app->descriptors[desc - 1u];
}

/* ---- REGISTER / UNREGISTER ---- */

struct register_args {
    uint32_t endpoint;
    const struct name *name;
};

static err_t store_registration(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)kd;
    struct ipc_name_app *app = data;
    const struct register_args *args = ctx;
    if (app->endpoints[args->endpoint].len != 0) {
        return ERR_ALREADY;
    }
    app->endpoints[args->endpoint] = *args->name;
    return ERR_OK;
}

struct wake {
    const struct name *name;
    struct ipc_peer peer;
};

/* Complete a waiting lookup for the newly registered name. */
static void wake_waiter(struct process_id pid, void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)pid;
    struct ipc_name_app *app = data;
    const struct wake *w = ctx;
    if (!app->is_lookup_waiting || !name_equal(&app->waiting_for, w->name)) {
        return;
    }
    app->is_lookup_waiting = false;
    uint32_t desc = 0;
    err_t status = open_descriptor(app, w->name, w->peer, &desc);
    /* A full upcall queue drops the completion (counted by the kernel); the descriptor stays
     * open, so a later LOOKUP of the name returns it at once. */
    err_t ignored = grant_schedule_upcall(kd, NAME_SUB_LOOKUP_DONE, (uint32_t)status, desc, 0);
    (void)ignored;
}

static struct syscall_return do_register(struct ipc_name *n, struct process_id caller,
                                         uint32_t endpoint, uint32_t flags)
{
    struct process *p = kernel_process(n->kernel, caller);
    if (p == NULL || endpoint >= IPC_MAX_ENDPOINTS) {
        return syscall_failure(ERR_INVAL);
    }
    struct name name = { .len = 0 };
    err_t err = (flags & IPC_NAME_REGISTER_TBF_NAME) != 0 ? package_name(p, &name)
                                                          : allowed_name(n, caller, &name);
    if (err != ERR_OK) {
        return syscall_failure(err);
    }
    if (!n->policy(p, name.bytes, name.len)) {
        return syscall_failure(ERR_NOSUPPORT);
    }
    struct ipc_peer existing;
    if (find_registration(n, &name, &existing)) {
        return syscall_failure(ERR_ALREADY);
    }
    struct register_args args = { .endpoint = endpoint, .name = &name };
    err = grant_enter(&n->grant, caller, store_registration, &args);
    if (err != ERR_OK) {
        return syscall_failure(err);
    }
    struct wake w = { .name = &name, .peer = { .pid = caller, .endpoint = endpoint } };
    grant_each(&n->grant, wake_waiter, &w);
    return syscall_success();
}

static err_t clear_registration(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)kd;
    struct ipc_name_app *app = data;
    const uint32_t *endpoint = ctx;
    if (app->endpoints[*endpoint].len == 0) {
        return ERR_INVAL;
    }
    app->endpoints[*endpoint].len = 0;
    return ERR_OK;
}

static struct syscall_return do_unregister(struct ipc_name *n, struct process_id caller,
                                           uint32_t endpoint)
{
    if (endpoint >= IPC_MAX_ENDPOINTS) {
        return syscall_failure(ERR_INVAL);
    }
    return syscall_from_err(grant_enter(&n->grant, caller, clear_registration, &endpoint));
}

/* ---- LOOKUP / REOPEN / CLOSE / DESC_STATUS ---- */

struct lookup_args {
    const struct name *name;
    bool is_found;
    struct ipc_peer peer;
    bool is_waiting;
    uint32_t desc; /* out */
};

static err_t lookup_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct ipc_name_app *app = data;
    struct lookup_args *args = ctx;
    if (args->is_found) {
        return open_descriptor(app, args->name, args->peer, &args->desc);
    }
    if (!args->is_waiting) {
        return ERR_NODEVICE;
    }
    /* A newer waiting lookup replaces the older one, whose completion is withdrawn. */
    grant_remove_pending_upcalls(kd, NAME_SUB_LOOKUP_DONE);
    app->is_lookup_waiting = true;
    app->waiting_for = *args->name;
    args->desc = 0;
    return ERR_OK;
}

static struct syscall_return do_lookup(struct ipc_name *n, struct process_id caller,
                                       uint32_t flags)
{
    struct name name = { .len = 0 };
    err_t err = allowed_name(n, caller, &name);
    if (err != ERR_OK) {
        return syscall_failure(err);
    }
    struct lookup_args args = { .name = &name, .is_waiting = (flags & IPC_NAME_LOOKUP_WAIT) != 0 };
    args.is_found = find_registration(n, &name, &args.peer);
    err = grant_enter(&n->grant, caller, lookup_in_grant, &args);
    return err == ERR_OK ? syscall_success_u32(args.desc) : syscall_failure(err);
}

struct desc_args {
    struct ipc_name *names;
    uint32_t command;
    uint32_t desc;
    struct name name;       /* REOPEN: the descriptor's name (out, first pass) */
    bool is_found;             /* REOPEN: second pass */
    struct ipc_peer peer;   /* REOPEN: second pass in */
    uint32_t values[2];     /* DESC_STATUS out */
};

static err_t desc_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)kd;
    struct ipc_name_app *app = data;
    struct desc_args *args = ctx;
    struct descriptor *d = descriptor_at(app, args->desc);
    if (d == NULL) {
        return ERR_INVAL;
    }
    switch (args->command) {
    case NAME_CMD_REOPEN:
        if (!args->is_found) {
            args->name = d->name; /* first pass: which name to resolve */
            return ERR_OK;
        }
        d->peer = args->peer.pid;
        d->endpoint = (uint8_t)args->peer.endpoint;
        return ERR_OK;
    case NAME_CMD_CLOSE:
        d->is_used = false;
        return ERR_OK;
    default: { /* NAME_CMD_DESC_STATUS */
        struct kernel *k = args->names->kernel;
        enum ipc_desc_state state = ipc_peer_state(k, d->peer);
        struct process_id current = d->peer;
        if (state == IPC_DESC_RESTARTED) {
            current = k->config.processes[d->peer.index].pid;
        }
        args->values[0] = (uint32_t)state;
        args->values[1] = ipc_badge(current);
        return ERR_OK;
    }
    }
}

static struct syscall_return do_reopen(struct ipc_name *n, struct process_id caller,
                                       uint32_t desc)
{
    struct desc_args args = { .names = n, .command = NAME_CMD_REOPEN, .desc = desc };
    err_t err = grant_enter(&n->grant, caller, desc_in_grant, &args);
    if (err != ERR_OK) {
        return syscall_failure(err);
    }
    if (!find_registration(n, &args.name, &args.peer)) {
        return syscall_failure(ERR_NODEVICE);
    }
    args.is_found = true;
    err = grant_enter(&n->grant, caller, desc_in_grant, &args);
    return err == ERR_OK ? syscall_success_u32(desc) : syscall_failure(err);
}

/* ipc_name_peer's entry: ctx holds the descriptor number in, the peer out. */
struct peer_args {
    uint32_t desc;
    struct ipc_peer peer;
};

static err_t peer_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    (void)kd;
    struct peer_args *args = ctx;
    const struct descriptor *d = descriptor_at(data, args->desc);
    if (d == NULL) {
        return ERR_INVAL;
    }
    args->peer = (struct ipc_peer){ .pid = d->peer, .endpoint = d->endpoint };
    return ERR_OK;
}

err_t ipc_name_peer(struct ipc_name *n, struct process_id owner, uint32_t desc,
                    struct ipc_peer *out)
{
    /* grant_enter_existing: a process with no IPC_NAME grant holds no descriptors. */
    struct peer_args args;
    args.desc = desc;
    if (grant_enter_existing(&n->grant, owner, peer_in_grant, &args) != ERR_OK) {
        return ERR_INVAL;
    }
    *out = args.peer;
    return ERR_OK;
}

static struct syscall_return
ipc_name_command_result(struct syscall_driver *driver, uint32_t command_num, uint32_t arg0,
                        uint32_t arg1, struct process_id pid)
{
    struct ipc_name *n = CONTAINER_OF(driver, struct ipc_name, driver);
    switch (command_num) {
    case NAME_CMD_EXISTS:
        return syscall_success();
    case NAME_CMD_REGISTER:
        return do_register(n, pid, arg0, arg1);
    case NAME_CMD_UNREGISTER:
        return do_unregister(n, pid, arg0);
    case NAME_CMD_LOOKUP:
        return do_lookup(n, pid, arg0);
    case NAME_CMD_REOPEN:
        return do_reopen(n, pid, arg0);
    case NAME_CMD_CLOSE: {
        struct desc_args args = { .names = n, .command = NAME_CMD_CLOSE, .desc = arg0 };
        return syscall_from_err(grant_enter(&n->grant, pid, desc_in_grant, &args));
    }
    case NAME_CMD_SELF_BADGE:
        return syscall_success_u32(ipc_badge(pid));
    case NAME_CMD_DESC_STATUS: {
        struct desc_args args = { .names = n, .command = NAME_CMD_DESC_STATUS, .desc = arg0 };
        err_t err = grant_enter(&n->grant, pid, desc_in_grant, &args);
        return err == ERR_OK ? syscall_success_2u32(args.values[0], args.values[1])
                             : syscall_failure(err);
    }
    default:
        return syscall_failure(ERR_NOSUPPORT);
    }
}

static void ipc_name_command(struct syscall_driver *driver, uint32_t *regs, struct process_id pid)
{
    struct ipc_name *n = CONTAINER_OF(driver, struct ipc_name, driver);
    if (n->epoch != UINT32_MAX) {
        n->epoch++; /* any command may change descriptor tables (see struct ipc_name) */
    }
    syscall_command_run(ipc_name_command_result, driver, regs, pid);
}

static const struct syscall_driver_ops ipc_name_ops = { .command = ipc_name_command };

err_t ipc_name_init(struct ipc_name *n, struct kernel *k, ipc_name_policy_fn policy)
{
    *n = (struct ipc_name){
        .driver = { .ops = &ipc_name_ops, .grant = &n->grant, .shares_read_write = false },
        .kernel = k,
        .policy = policy,
        .epoch = 1,
    };
    const struct grant_config config = {
        .driver_num = KERNEL_IPC_NAME_DRIVER_NUM,
        .data_size = sizeof(struct ipc_name_app),
        .data_align = 4,
        .upcalls = 1,
        .read_only = 1,
        .read_write = 0,
        .userspace_readable = 0,
    };
    return grant_create(&n->grant, k, &config);
}
