/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Syscall dispatch: decode the trap, check every argument, then act (ABI §1).
 *
 * Each class validates its untrusted arguments first and changes state only after every check
 * passed. Yield only changes the process state; upcall delivery happens in the scheduler, so
 * callbacks run only inside yield. Unknown classes and yield numbers fault the process (Tock).
 *
 * Invariants: the return registers written are exactly those of the variant (ABI §1.3 and §9.1).
 */
#include "container.h"
#include "kernel/arch.h"
#include "kernel/debug.h"
#include "kernel/grant_internal.h"
#include "kernel/kernel.h"
#include "kernel/trace.h"

#include <stddef.h>

enum syscall_class {
    SYSCALL_YIELD = 0,
    SYSCALL_SUBSCRIBE = 1,
    SYSCALL_COMMAND = 2,
    SYSCALL_ALLOW_READ_WRITE = 3,
    SYSCALL_ALLOW_READ_ONLY = 4,
    SYSCALL_MEMOP = 5,
    SYSCALL_EXIT = 6,
    SYSCALL_ALLOW_USERSPACE_READABLE = 7,
};

enum yield_kind { YIELD_NO_WAIT = 0, YIELD_WAIT = 1, YIELD_WAIT_FOR = 2 };

static void set_return(struct process *p, struct syscall_return ret)
{
    struct syscall_registers regs = syscall_return_encode(ret);
    arch_set_syscall_return(&p->context, &regs);
}

/* Yield-NoWait's optional flag: one byte, written only inside the process's accessible RAM. */
__attribute__((noinline)) static void write_yield_flag(struct process *p, uintptr_t flag,
                                                       bool has_work)
{
    if (process_in_app_ram(p, flag, 1)) {
        /* SAFETY: one byte inside the process's accessible RAM, checked above. */
        *(volatile uint8_t *)flag = has_work ? 1 : 0;
    }
}

/* No return registers are written: the process continues, or takes its upcall (the scheduler
 * delivers it, which sets the registers of the upcall). */
static inline void yield_no_wait(struct process *p, uintptr_t flag)
{
    bool has_work = upcall_queue_has_function(&p->queue);
    if (flag != 0) {
        write_yield_flag(p, flag, has_work);
    }
    if (has_work) {
        p->state = PROCESS_YIELDED;
    }
}

__attribute__((noinline)) static void yield_wait_for(struct kernel *k, struct process *p,
                                                     const uint32_t *args)
{
    p->yield_driver = args[1];
    p->yield_subscribe = args[2];
    p->state = PROCESS_YIELDED_FOR;
    if (process_wait_takes_latched(p)) {
        return; /* a latched event was waiting: delivered inside this yield */
    }
    kernel_run_ready_hooks(k, p, p->yield_driver, p->yield_subscribe);
}

static struct syscall_return
do_subscribe(struct kernel *k, struct process *p, const uint32_t *args)
{
    uint32_t driver_num = args[0], subscribe_num = args[1];
    uint32_t fn = args[2], appdata = args[3];
    if (fn != 0 && !process_in_app_flash(p, fn, 4) && !process_in_app_ram(p, fn, 4)) {
        return syscall_failure_2u32(ERR_INVAL, fn, appdata);
    }
    const struct driver_slot *found = kernel_find_driver(k, driver_num);
    if (found == NULL) {
        return syscall_failure_2u32(ERR_NODEVICE, fn, appdata);
    }
    uint32_t *slot;
    err_t err = grant_slot(k, p, found->driver->grant, GRANT_SLOT_UPCALL, subscribe_num, &slot);
    if (err != ERR_OK) {
        return syscall_failure_2u32(err, fn, appdata);
    }
    uint32_t old_fn = slot[0], old_appdata = slot[1];
    slot[0] = fn;
    slot[1] = appdata;
    upcall_queue_resubscribed(&p->queue, driver_num, subscribe_num, slot);
    kernel_run_ready_hooks(k, p, driver_num, subscribe_num);
    return syscall_success_2u32(old_fn, old_appdata);
}

/* The old buffer of a read-write allow is withdrawn: tell a driver that derived something from
 * it (before the syscall returns, so nothing outlives the allow). */
static void rw_allow_withdrawn(struct syscall_driver *driver, struct process *p, uint32_t allow_num,
                               uint32_t old_addr, uint32_t old_len, uint32_t addr, uint32_t len)
{
    if (driver->ops->rw_allow_withdrawn != NULL && old_len != 0 &&
        (old_addr != addr || old_len != len)) {
        driver->ops->rw_allow_withdrawn(driver, p->pid, allow_num, old_addr, old_len);
    }
}

__attribute__((noinline)) static struct syscall_return
do_allow(struct kernel *k, struct process *p, const uint32_t *args, enum grant_slot_kind kind)
{
    uint32_t driver_num = args[0], allow_num = args[1];
    uint32_t addr = args[2], len = args[3];
    const struct driver_slot *found = kernel_find_driver(k, driver_num);
    if (found == NULL) {
        return syscall_failure_2u32(ERR_NODEVICE, addr, len);
    }
    struct syscall_driver *driver = found->driver;
    if (len != 0) {
        bool in_ram = process_in_app_ram(p, addr, len);
        bool ok = in_ram || (kind == GRANT_SLOT_READ_ONLY && process_in_app_flash(p, addr, len));
        if (!ok || (kind == GRANT_SLOT_READ_WRITE && driver->shares_read_write &&
                    !arch_mpu_can_share(addr, len))) {
            return syscall_failure_2u32(ERR_INVAL, addr, len);
        }
    }
    uint32_t *slot;
    err_t err = grant_slot(k, p, driver->grant, kind, allow_num, &slot);
    if (err != ERR_OK) {
        return syscall_failure_2u32(err, addr, len);
    }
    if (len != 0 && process_in_app_ram(p, addr, len) && addr + len > p->allow_high_water) {
        p->allow_high_water = addr + len;
    }
    uint32_t old_addr = slot[0], old_len = slot[1];
    slot[0] = addr;
    slot[1] = len;
    if (kind == GRANT_SLOT_READ_WRITE) {
        rw_allow_withdrawn(driver, p, allow_num, old_addr, old_len, addr, len);
    }
    return syscall_success_2u32(old_addr, old_len);
}

/* The driver writes the result into the process's registers itself (syscall_reply). */
static inline __attribute__((always_inline)) void do_command(struct kernel *k, struct process *p,
                                                             uint32_t *regs)
{
    const struct driver_slot *slot = kernel_find_driver(k, regs[0]);
    if (slot == NULL) {
        syscall_reply(regs, syscall_failure(ERR_NODEVICE));
        return;
    }
    slot->driver->ops->command(slot->driver, regs, p->pid);
}

__attribute__((noinline)) static struct syscall_return do_memop(struct process *p,
                                                                const uint32_t *args)
{
    uint32_t arg = args[1];
    switch (args[0]) {
    case 0:
        return syscall_from_err(process_set_brk(p, arg) == ERR_OK ? ERR_OK : ERR_NOMEM);
    case 1: {
        uintptr_t old = p->app_brk;
        int32_t increment = (int32_t)arg;
        uintptr_t new_brk = old + (uintptr_t)(intptr_t)increment;
        bool wrapped = increment < 0 ? new_brk > old : new_brk < old;
        if (wrapped || process_set_brk(p, new_brk) != ERR_OK) {
            return syscall_failure(ERR_NOMEM);
        }
        return syscall_success_u32((uint32_t)old);
    }
    case 2:
        return syscall_success_u32((uint32_t)p->mem_start);
    case 3:
        return syscall_success_u32((uint32_t)(p->mem_start + p->mem_size));
    case 4:
        return syscall_success_u32((uint32_t)p->flash_start);
    case 5:
        return syscall_success_u32((uint32_t)(p->flash_start + p->flash_size));
    case 6:
        return syscall_success_u32((uint32_t)p->kernel_brk);
    case 7:
        return syscall_success_u32(p->writeable_region_count);
    case 8:
    case 9:
        if (arg >= p->writeable_region_count || p->writeable_regions[arg][1] == 0) {
            return syscall_failure(ERR_FAIL);
        }
        /* The loader checked offset + size <= flash_size, so neither sum can wrap. */
        return syscall_success_u32((uint32_t)(p->flash_start + p->writeable_regions[arg][0] +
                                              (args[0] == 9 ? p->writeable_regions[arg][1]
                                                                : 0)));
    case 10:
        if (arg >= p->mem_start && arg <= p->mem_start + p->mem_size) {
            p->debug_stack_top = arg;
        }
        return syscall_success();
    case 11:
        if (arg >= p->mem_start && arg <= p->mem_start + p->mem_size) {
            p->debug_heap_start = arg;
        }
        return syscall_success();
    default:
        return syscall_failure(ERR_NOSUPPORT);
    }
}

static void do_exit(struct kernel *k, struct process *p, const struct arch_syscall *sc)
{
    if (sc->args[0] == 0) {
        process_terminate(k, p, sc->args[1]);
    } else if (sc->args[0] == 1) {
        p->completion_code = sc->args[1];
        process_restart(k, p);
    } else {
        set_return(p, syscall_failure(ERR_NOSUPPORT));
    }
}

static void count_syscall(struct process *p)
{
    p->syscall_count++;
}

/* Subscribe, the allows and memop: the kernel's own classes that return values, sharing one
 * encoding. Out of line (and their handlers too): one copy serves the trap and the loop, and
 * the paths that inline dispatch keep small frames. Returns false for a class it does not
 * know, untouched. */
__attribute__((noinline)) static bool do_kernel_class(struct kernel *k, struct process *p,
                                                      uint32_t class_num, const uint32_t *args)
{
    struct syscall_return ret;
    switch (class_num) {
    case SYSCALL_SUBSCRIBE:
        ret = do_subscribe(k, p, args);
        break;
    case SYSCALL_ALLOW_READ_WRITE:
        ret = do_allow(k, p, args, GRANT_SLOT_READ_WRITE);
        break;
    case SYSCALL_ALLOW_READ_ONLY:
        ret = do_allow(k, p, args, GRANT_SLOT_READ_ONLY);
        break;
    case SYSCALL_ALLOW_USERSPACE_READABLE:
        ret = do_allow(k, p, args, GRANT_SLOT_USERSPACE_READABLE);
        break;
    case SYSCALL_MEMOP:
        ret = do_memop(p, args);
        break;
    default:
        return false;
    }
    count_syscall(p);
    set_return(p, ret);
    return true;
}

/* Handle the syscall unless it may end the process (exit, an unknown class or yield number):
 * those return false untouched, for syscall_handle; the trap's fast path leaves them to the
 * loop. Command and yield, the frequent classes, are handled here: a command's driver writes
 * the result registers itself, and yield writes none. The hot files' -O2 inlines it into both
 * the trap's fast path and the loop's syscall_handle (the bench's figures hold that); CONFIG=core,
 * built for size, keeps one copy. */
static inline bool dispatch(struct kernel *k, struct process *p, uint32_t class_num,
                            uint32_t *args)
{
    if (class_num == SYSCALL_COMMAND) {
        do_command(k, p, args);
        count_syscall(p);
        return true;
    }
    if (class_num == SYSCALL_YIELD) {
        switch (args[0]) {
        case YIELD_NO_WAIT:
            yield_no_wait(p, args[1]);
            break;
        case YIELD_WAIT:
            p->state = PROCESS_YIELDED;
            break;
        case YIELD_WAIT_FOR:
            yield_wait_for(k, p, args);
            break;
        default:
            return false;
        }
        count_syscall(p);
        return true;
    }
    return do_kernel_class(k, p, class_num, args);
}

bool syscall_handle_fast(struct kernel *k, struct process *p)
{
    struct arch_syscall sc;
    arch_get_syscall(&p->context, &sc);
    return dispatch(k, p, sc.class_num, sc.args);
}

void syscall_handle(struct kernel *k, struct process *p)
{
    struct arch_syscall sc;
    arch_get_syscall(&p->context, &sc);
    trace_syscall_entered(k, p, &sc);
    if (!dispatch(k, p, sc.class_num, sc.args)) {
        count_syscall(p);
        if (sc.class_num == SYSCALL_EXIT) {
            do_exit(k, p, &sc);
        } else if (sc.class_num == SYSCALL_YIELD) {
            process_fault(k, p, "invalid yield number");
        } else {
            process_fault(k, p, "invalid syscall class");
        }
    }
    trace_syscall_returned(k, p, &sc);
}
