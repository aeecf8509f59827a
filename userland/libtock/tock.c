/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * libtock core: libtock-c's typed system-call wrappers over the per-arch raw calls.
 *
 * The raw `svc`/`ecall` sequences live in arch/<arch>/tock_syscall_arch.h; this file only
 * decodes return variants (ABI §1.3) and keeps libtock-c's small userspace task queue.
 *
 * Usage: see tock.h.
 *
 * Invariants: a variant the ABI does not allow for subscribe/allow/memop ends the process with
 * completion code 1 (libtock-c does the same); nothing here allocates.
 */
#include "tock.h"

#include "tock_syscall_arch.h"

enum {
    YIELD_NO_WAIT = 0,
    YIELD_WAIT = 1,
    YIELD_WAIT_FOR = 2,
    EXIT_TERMINATE = 0,
    EXIT_RESTART = 1,
    TASK_QUEUE_LEN = 16,
    BAD_VARIANT_EXIT_CODE = 1,
};

struct task {
    subscribe_upcall *cb;
    int arg0;
    int arg1;
    int arg2;
    void *ud;
};

/* Ring buffer; one slot stays empty so head == tail means empty. */
static struct task task_queue[TASK_QUEUE_LEN];
static unsigned task_head;
static unsigned task_tail;

static void exit_bad_variant(void) __attribute__((noreturn));
static void exit_bad_variant(void)
{
    tock_exit(BAD_VARIANT_EXIT_CODE);
}

returncode_t tock_status_to_returncode(statuscode_t status)
{
    return (returncode_t)(-(int)status);
}

returncode_t tock_command_return_novalue_to_returncode(syscall_return_t command_return)
{
    switch (command_return.type) {
    case TOCK_SYSCALL_SUCCESS:
        return RETURNCODE_SUCCESS;
    case TOCK_SYSCALL_FAILURE:
        return tock_status_to_returncode((statuscode_t)command_return.data[0]);
    default:
        return RETURNCODE_EBADRVAL;
    }
}

returncode_t tock_command_return_u32_to_returncode(syscall_return_t command_return,
                                                   uint32_t *value)
{
    switch (command_return.type) {
    case TOCK_SYSCALL_SUCCESS_U32:
        *value = command_return.data[0];
        return RETURNCODE_SUCCESS;
    case TOCK_SYSCALL_FAILURE:
        return tock_status_to_returncode((statuscode_t)command_return.data[0]);
    default:
        return RETURNCODE_EBADRVAL;
    }
}

returncode_t tock_subscribe_return_to_returncode(subscribe_return_t subscribe_return)
{
    return subscribe_return.success ? RETURNCODE_SUCCESS
                                    : tock_status_to_returncode(subscribe_return.status);
}

returncode_t tock_allow_rw_return_to_returncode(allow_rw_return_t allow_return)
{
    return allow_return.success ? RETURNCODE_SUCCESS
                                : tock_status_to_returncode(allow_return.status);
}

returncode_t tock_allow_ro_return_to_returncode(allow_ro_return_t allow_return)
{
    return allow_return.success ? RETURNCODE_SUCCESS
                                : tock_status_to_returncode(allow_return.status);
}

returncode_t tock_allow_userspace_r_return_to_returncode(allow_userspace_r_return_t allow_return)
{
    return allow_return.success ? RETURNCODE_SUCCESS
                                : tock_status_to_returncode(allow_return.status);
}

int tock_enqueue(subscribe_upcall cb, int arg0, int arg1, int arg2, void *ud)
{
    unsigned next = (task_tail + 1u) % TASK_QUEUE_LEN;
    if (next == task_head) {
        return -1;
    }
    unsigned slot = task_tail;
    task_queue[slot] =
        (struct task){ .cb = cb, .arg0 = arg0, .arg1 = arg1, .arg2 = arg2, .ud = ud };
    task_tail = next;
    return (int)slot;
}

int yield_check_tasks(void)
{
    if (task_head == task_tail) {
        return 0;
    }
    struct task task = task_queue[task_head];
    task_head = (task_head + 1u) % TASK_QUEUE_LEN;
    task.cb(task.arg0, task.arg1, task.arg2, task.ud);
    return 1;
}

void yield(void)
{
    if (yield_check_tasks()) {
        return;
    }
    (void)tock_syscall_yield(YIELD_WAIT, 0, 0, 0);
}

void yield_for(bool *cond)
{
    while (!*cond) {
        yield();
    }
}

int yield_no_wait(void)
{
    if (yield_check_tasks()) {
        return 1;
    }
    /* volatile: the kernel writes it behind the compiler's back (the asm has a memory clobber,
     * but the byte must live in memory for the kernel to see its address). */
    volatile uint8_t ran_upcall = 0;
    (void)tock_syscall_yield(YIELD_NO_WAIT, (uint32_t)(uintptr_t)&ran_upcall, 0, 0);
    return ran_upcall != 0 ? 1 : 0;
}

yield_waitfor_return_t yield_wait_for(uint32_t driver, uint32_t subscribe_num)
{
    struct tock_syscall_regs regs = tock_syscall_yield(YIELD_WAIT_FOR, driver, subscribe_num, 0);
    return (yield_waitfor_return_t){ .data0 = regs.r0, .data1 = regs.r1, .data2 = regs.r2 };
}

void tock_exit(uint32_t completion_code)
{
    for (;;) {
        (void)tock_syscall_exit(EXIT_TERMINATE, completion_code);
    }
}

void tock_restart(uint32_t completion_code)
{
    for (;;) {
        (void)tock_syscall_exit(EXIT_RESTART, completion_code);
    }
}

syscall_return_t command(uint32_t driver, uint32_t command_num, int arg1, int arg2)
{
    struct tock_syscall_regs regs =
        tock_syscall_command(driver, command_num, (uint32_t)arg1, (uint32_t)arg2);
    return (syscall_return_t){ .type = (syscall_rtype_t)regs.r0,
                               .data = { regs.r1, regs.r2, regs.r3 } };
}

subscribe_return_t subscribe(uint32_t driver, uint32_t subscribe_num, subscribe_upcall uc,
                             void *userdata)
{
    struct tock_syscall_regs regs = tock_syscall_subscribe(
        driver, subscribe_num, (uint32_t)(uintptr_t)uc, (uint32_t)(uintptr_t)userdata);
    switch (regs.r0) {
    case TOCK_SYSCALL_SUCCESS_U32_U32:
        return (subscribe_return_t){ .success = true,
                                     .callback = (subscribe_upcall *)(uintptr_t)regs.r1,
                                     .userdata = (void *)(uintptr_t)regs.r2,
                                     .status = TOCK_STATUSCODE_SUCCESS };
    case TOCK_SYSCALL_FAILURE_U32_U32:
        return (subscribe_return_t){ .success = false,
                                     .callback = (subscribe_upcall *)(uintptr_t)regs.r2,
                                     .userdata = (void *)(uintptr_t)regs.r3,
                                     .status = (statuscode_t)regs.r1 };
    default:
        exit_bad_variant();
    }
}

allow_rw_return_t allow_readwrite(uint32_t driver, uint32_t allow, void *ptr, size_t size)
{
    struct tock_syscall_regs regs =
        tock_syscall_allow_readwrite(driver, allow, (uint32_t)(uintptr_t)ptr, (uint32_t)size);
    switch (regs.r0) {
    case TOCK_SYSCALL_SUCCESS_U32_U32:
        return (allow_rw_return_t){ .success = true, .ptr = (void *)(uintptr_t)regs.r1,
                                    .size = regs.r2, .status = TOCK_STATUSCODE_SUCCESS };
    case TOCK_SYSCALL_FAILURE_U32_U32:
        return (allow_rw_return_t){ .success = false, .ptr = (void *)(uintptr_t)regs.r2,
                                    .size = regs.r3, .status = (statuscode_t)regs.r1 };
    default:
        exit_bad_variant();
    }
}

allow_ro_return_t allow_readonly(uint32_t driver, uint32_t allow, const void *ptr, size_t size)
{
    struct tock_syscall_regs regs =
        tock_syscall_allow_readonly(driver, allow, (uint32_t)(uintptr_t)ptr, (uint32_t)size);
    switch (regs.r0) {
    case TOCK_SYSCALL_SUCCESS_U32_U32:
        return (allow_ro_return_t){ .success = true, .ptr = (const void *)(uintptr_t)regs.r1,
                                    .size = regs.r2, .status = TOCK_STATUSCODE_SUCCESS };
    case TOCK_SYSCALL_FAILURE_U32_U32:
        return (allow_ro_return_t){ .success = false, .ptr = (const void *)(uintptr_t)regs.r2,
                                    .size = regs.r3, .status = (statuscode_t)regs.r1 };
    default:
        exit_bad_variant();
    }
}

allow_userspace_r_return_t allow_userspace_read(uint32_t driver, uint32_t allow, void *ptr,
                                                size_t size)
{
    struct tock_syscall_regs regs = tock_syscall_allow_userspace_read(
        driver, allow, (uint32_t)(uintptr_t)ptr, (uint32_t)size);
    switch (regs.r0) {
    case TOCK_SYSCALL_SUCCESS_U32_U32:
        return (allow_userspace_r_return_t){ .success = true, .ptr = (void *)(uintptr_t)regs.r1,
                                             .size = regs.r2,
                                             .status = TOCK_STATUSCODE_SUCCESS };
    case TOCK_SYSCALL_FAILURE_U32_U32:
        return (allow_userspace_r_return_t){ .success = false,
                                             .ptr = (void *)(uintptr_t)regs.r2,
                                             .size = regs.r3, .status = (statuscode_t)regs.r1 };
    default:
        exit_bad_variant();
    }
}

memop_return_t memop(uint32_t op_type, int arg1)
{
    struct tock_syscall_regs regs = tock_syscall_memop(op_type, (uint32_t)arg1);
    switch (regs.r0) {
    case TOCK_SYSCALL_SUCCESS:
        return (memop_return_t){ .status = TOCK_STATUSCODE_SUCCESS, .data = 0 };
    case TOCK_SYSCALL_SUCCESS_U32:
        return (memop_return_t){ .status = TOCK_STATUSCODE_SUCCESS, .data = regs.r1 };
    case TOCK_SYSCALL_FAILURE:
        return (memop_return_t){ .status = (statuscode_t)regs.r1, .data = 0 };
    default:
        exit_bad_variant();
    }
}

static void *memop_address(uint32_t op, int arg)
{
    memop_return_t ret = memop(op, arg);
    return ret.status == TOCK_STATUSCODE_SUCCESS ? (void *)(uintptr_t)ret.data : NULL;
}

void *tock_app_memory_begins_at(void)
{
    return memop_address(2, 0);
}

void *tock_app_memory_ends_at(void)
{
    return memop_address(3, 0);
}

void *tock_app_flash_begins_at(void)
{
    return memop_address(4, 0);
}

void *tock_app_flash_ends_at(void)
{
    return memop_address(5, 0);
}

void *tock_app_grant_begins_at(void)
{
    return memop_address(6, 0);
}

int tock_app_number_writeable_flash_regions(void)
{
    memop_return_t ret = memop(7, 0);
    return ret.status == TOCK_STATUSCODE_SUCCESS ? (int)ret.data : 0;
}

void *tock_app_writeable_flash_region_begins_at(int region_index)
{
    return memop_address(8, region_index);
}

void *tock_app_writeable_flash_region_ends_at(int region_index)
{
    return memop_address(9, region_index);
}

bool driver_exists(uint32_t driver)
{
    syscall_return_t ret = command(driver, 0, 0, 0);
    return ret.type >= TOCK_SYSCALL_SUCCESS;
}

const char *tock_strerr(statuscode_t status)
{
    return tock_strrcode(tock_status_to_returncode(status));
}

const char *tock_strrcode(returncode_t returncode)
{
    switch (returncode) {
    case RETURNCODE_SUCCESS:
        return "success";
    case RETURNCODE_FAIL:
        return "generic failure";
    case RETURNCODE_EBUSY:
        return "busy, try again";
    case RETURNCODE_EALREADY:
        return "already in that state";
    case RETURNCODE_EOFF:
        return "powered off";
    case RETURNCODE_ERESERVE:
        return "reservation required";
    case RETURNCODE_EINVAL:
        return "invalid argument";
    case RETURNCODE_ESIZE:
        return "size too large or too small";
    case RETURNCODE_ECANCEL:
        return "cancelled";
    case RETURNCODE_ENOMEM:
        return "out of memory";
    case RETURNCODE_ENOSUPPORT:
        return "not supported";
    case RETURNCODE_ENODEVICE:
        return "no such device";
    case RETURNCODE_EUNINSTALLED:
        return "device uninstalled";
    case RETURNCODE_ENOACK:
        return "not acknowledged";
    case RETURNCODE_EBADRVAL:
        return "unexpected return variant";
    }
    return "unknown error code";
}
