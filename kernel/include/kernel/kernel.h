/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The kernel object: process table, driver table, grant table and the main loop.
 *
 * Usage (board main):
 *     static struct process processes[4];
 *     static struct kernel kernel;
 *     kernel_init(&kernel, &board_kernel_config);   // before any grant_create
 *     ... capsules' _init (create grants) ...
 *     kernel_load_processes(&kernel);
 *     kernel_loop(&kernel);
 *
 * Invariants: one kernel thread; ISRs only mark work pending for `chip`; grants are frozen once
 * processes are loaded.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "errorcode.h"
#include "kernel/exit_hook.h"
#include "kernel/grant.h"
#include "kernel/kernel_clock.h"
#include "kernel/process.h"
#include "kernel/syscall_driver.h"
#include "list.h"

#define KERNEL_VERSION_MAJOR 2u
#define KERNEL_VERSION_MINOR 3u
#define KERNEL_TIMESLICE_US 10000u
#define KERNEL_MIN_QUANTUM_US 500u
#define KERNEL_DRIVER_INDEX_BITS 7u /* the driver index: 128 slots */
#define KERNEL_DRIVER_INDEX_SLOTS (1u << KERNEL_DRIVER_INDEX_BITS)
#define KERNEL_MAX_DRIVERS (KERNEL_DRIVER_INDEX_SLOTS / 4u)

/* The image's chip. An image has exactly one, so what it offers the kernel loop is three
 * functions resolved at link time (chips/<chip>/chip.c; tests/fakes/fake_chip.c on the host),
 * called on the chip object the board names in the kernel config. Each chip defines struct
 * kernel_chip as its own state; the kernel only passes it back. */
struct kernel_chip;
/* An interrupt may be waiting for service (never false while one is). Cheap: on every
 * decision of the loop and every switch in the trap. */
bool chip_has_pending_interrupts(const struct kernel_chip *chip);
void chip_service_pending_interrupts(struct kernel_chip *chip);
/* Sleep until an interrupt is pending; returns at once if one already is. */
void chip_sleep(struct kernel_chip *chip);

/* Notified when process pid may now take events on (driver_num, subscribe_num): it has just
 * subscribed there (any function, the Null Upcall included) or started Yield-WaitFor on it. A
 * driver that holds events until the process can take them queues them here; it may queue
 * upcalls but must not call back into the process synchronously. Board-registered only. */
struct upcall_ready_hook {
    uint32_t driver_num;
    void (*on_ready)(struct upcall_ready_hook *hook, uint32_t subscribe_num,
                     struct process_id pid);
    /* Optional. p's queue is full and an event of another driver must go in: take one of your
     * queued tasks out, keep it held (set PROCESS_AFTER_UPCALL_ROOM in p->after_upcall),
     * return true. Only a driver that can re-create the task later may do this, so nothing is
     * lost, only postponed. */
    bool (*reclaim)(struct upcall_ready_hook *hook, struct process *p);
    /* Optional. p took an upcall while PROCESS_AFTER_UPCALL_ROOM was set: queue what you hold
     * for it (setting the bit again if something still does not fit). */
    void (*on_room)(struct upcall_ready_hook *hook, struct process *p);
    struct list_node node; /* in kernel.ready_hooks */
};

/* Told every syscall and upcall of the processes marked with process_set_traced (the process
 * console's `trace`). Board-registered only (kernel_set_tracer). Its functions run where the
 * kernel handles the event (the loop; the trap for an upcall delivered there), must not change
 * p or the queue, must not block, and may print (debug_printf).
 *  - syscall_entered: p trapped with sc (class and arguments as the process passed them; the
 *    arguments are overwritten once it is handled). A traced process's syscalls never take the
 *    trap's fast path, so each one comes here.
 *  - syscall_returned: the same sc once handled: sc->args are the return registers as p will
 *    see them, unless the syscall returns none (yield) or ended the instance that made it
 *    (exit, a bad class: p's id then changed or p is not alive, and sc->args must not be read).
 *  - upcall_coming: p (Yield-Wait or Yield-WaitFor, with tasks queued) may be about to take
 *    a task: the first function call (upcall_queue_first_function) after a Yield-Wait, the
 *    first match of its yield_driver/yield_subscribe after a Yield-WaitFor.
 *  - upcall_delivered: it took that task (only then does this follow upcall_coming):
 *    arch_syscall_args(&p->context) holds the arguments it is called with (Yield-Wait) or the
 *    first three values its Yield-WaitFor returns. */
struct kernel_tracer;
struct arch_syscall;
struct credential_policy;
struct kernel_tracer_ops {
    void (*syscall_entered)(struct kernel_tracer *tracer, const struct process *p,
                            const struct arch_syscall *sc);
    void (*syscall_returned)(struct kernel_tracer *tracer, const struct process *p,
                             const struct arch_syscall *sc);
    void (*upcall_coming)(struct kernel_tracer *tracer, const struct process *p);
    void (*upcall_delivered)(struct kernel_tracer *tracer, const struct process *p);
};
struct kernel_tracer {
    const struct kernel_tracer_ops *ops;
};

/* An address range [start, end) of the board's memory map. */
struct memory_range {
    uintptr_t start;
    uintptr_t end;
};

struct kernel_config {
    struct process *processes; /* board static array */
    uint32_t process_count;
    const struct driver_slot *drivers;
    uint32_t driver_count;
    struct kernel_chip *chip;
    uintptr_t app_flash_start;
    uintptr_t app_flash_end;
    uintptr_t app_ram_start;
    uintptr_t app_ram_end;
    struct process_fault_policy fault_policy; /* the board's default */
    const struct process_fault_override *fault_overrides; /* per app, by name */
    uint32_t fault_override_count;
    uint32_t ram_headroom; /* extra bytes per process beyond the TBF minimum (newlib slack) */
    /* The fixed-priority policy's order (kernel/sched_priority.c): app names, highest first. */
    const char *const *sched_order;
    uint32_t sched_order_count;
};

/* The rest of the board's memory map, to name faulting addresses (fault_report.h). */
struct kernel_memory_map {
    struct memory_range kernel_flash;
    struct memory_range kernel_ram;
    const struct memory_range *peripherals;
    uint32_t peripheral_count;
};

struct kernel {
    struct kernel_config config;
    struct grant *grants[PROCESS_MAX_GRANTS];
    uint32_t grant_count;
    bool processes_loaded;
    uint32_t next_process_id;
    uint32_t last_scheduled; /* round-robin cursor */
    uint32_t slot_limit;     /* every slot at or above it is EMPTY (the scheduler scans below) */
    struct process *resume;  /* preempted by kernel work, or NULL (sched_keeps decides) */
    uint32_t resume_slice_us;
    uint32_t sched_run_us;   /* run time the MLFQ policy counted since its last boost */
    struct list exit_hooks;  /* of struct process_exit_hook, newest first */
    /* What the MPU/PMP holds: this configuration at this generation (NULL: unknown). */
    const struct arch_mpu *mpu_loaded;
    uint32_t mpu_loaded_generation;
    struct list ready_hooks; /* of struct upcall_ready_hook, newest first */
    struct kernel_tracer *tracer; /* NULL: traced processes report nothing */
    /* Board storage for the processes' latched upcalls, one per slot (kernel_set_latched_slots);
     * NULL/0: none, latched subscribes' events take the ring. */
    struct upcall_latched *latched_slots;
    uint32_t latched_slot_count;
    struct kernel_clock *clock; /* NULL until kernel_set_clock */
    const struct kernel_memory_map *memory_map; /* NULL until kernel_set_memory_map */
    /* NULL: accept all, no keys (kernel_set_credential_policy, kernel/credentials.h). */
    const struct credential_policy *credentials;
    /* Driver lookup: driver_index[hash(num)] is 1 + the index in config.drivers, or 0;
     * drivers_before is the address of config.drivers minus one slot, so the entry scales
     * straight to its slot (an address only, never dereferenced as such). */
    uint32_t driver_multiplier;
    uintptr_t drivers_before;
    uint8_t driver_index[KERNEL_DRIVER_INDEX_SLOTS];
};

/* config->processes may hold anything (boards keep it in .noinit): kernel_init does not touch
 * it, and kernel_load_processes writes every slot below process_count before anything reads
 * one: it clears each slot it fills and empties every other slot not EMPTY already. An EMPTY
 * slot's other fields mean nothing; every reader checks the state first. */
void kernel_init(struct kernel *k, const struct kernel_config *config);
/* Replace the driver table given to kernel_init (before processes load; tests use it). */
void kernel_set_drivers(struct kernel *k, const struct driver_slot *drivers, uint32_t count);
void kernel_add_exit_hook(struct kernel *k, struct process_exit_hook *hook);
void kernel_add_upcall_ready_hook(struct kernel *k, struct upcall_ready_hook *hook);
/* Boot only, after kernel_init: storage for the latched upcalls of process slot i in slots[i]
 * (count at least the process count for every slot to have some). In kernel/latched_delivery.c,
 * which kernels whose drivers declare latched subscribes link (record 030). */
void kernel_set_latched_slots(struct kernel *k, struct upcall_latched *slots, uint32_t count);
/* Boot only: the tracer told about processes marked with process_set_traced. This and
 * process_set_traced are in kernel/trace.c, which kernels with a tracer link (trace.h). */
void kernel_set_tracer(struct kernel *k, struct kernel_tracer *tracer);
/* Boot only: the board's memory map, for fault reports to name addresses outside app memory
 * (without it they are "unmapped"). */
void kernel_set_memory_map(struct kernel *k, const struct kernel_memory_map *map);
/* Boot only, before kernel_load_processes: the fixed-priority policy's order of apps, by name,
 * highest first (other policies ignore it; unnamed apps come after, in slot order). */
void kernel_set_sched_order(struct kernel *k, const char *const *names, uint32_t count);
/* Boot only, before kernel_load_processes: per-app fault policies, replacing the config's. */
void kernel_set_fault_overrides(struct kernel *k, const struct process_fault_override *overrides,
                                uint32_t count);
/* Boot only: the clock the fault policy times back-offs and healthy runs with. This and
 * kernel_clock_fired are in kernel/fault_restart_timed.c, which a board with a clock links. */
void kernel_set_clock(struct kernel *k, struct kernel_clock *clock);
/* Called by the clock (kernel_clock.h) when the last wake_at time came: restarts the faulted
 * processes whose back-off has ended and asks for the next wake-up. */
void kernel_clock_fired(struct kernel *k);

/* Scan the app flash, loading every valid app; prints one verdict line per app found, a stop
 * line if a header makes the rest unwalkable, and "N of M apps running" (process_loader.c). */
void kernel_load_processes(struct kernel *k);

/* Runtime loading (the app loader, doc/reference/028-runtime-app-loading.md). Kernel loop only.
 * kernel_app_list_end: where the walk of app flash ends (the first end word, or app_flash_end);
 * ERR_OK, or ERR_FAIL when a header stops the walk before (nothing can be appended then).
 * kernel_app_flash_fits: the MPU/PMP can cover an app of `size` bytes at addr (an
 * app_load_fits_fn; the first argument is unused).
 * kernel_check_app: may the TBF of exactly `size` bytes at addr (written, not yet in the list)
 * run here: the walk's header, placement and credential checks, changing nothing. NULL, or the
 * reason (formatted into `reason` when it carries numbers; 64 bytes).
 * kernel_load_app: the same checks, then the first never-used slot, RAM above every process's,
 * and the process started; prints the walk's "loaded" line. NULL, or the reason (nothing
 * changed then). */
MUST_CHECK err_t kernel_app_list_end(const struct kernel *k, uintptr_t *end);
#define KERNEL_REASON_LEN 64u
bool kernel_app_flash_fits(void *unused, uintptr_t addr, uint32_t size);
const char *kernel_check_app(struct kernel *k, uintptr_t addr, uint32_t size,
                             char reason[KERNEL_REASON_LEN]);
const char *kernel_load_app(struct kernel *k, uintptr_t addr, uint32_t size,
                            char reason[KERNEL_REASON_LEN]);

/* Run forever: interrupts, deferred calls, processes (round-robin, preemptive). */
__attribute__((noreturn)) void kernel_loop(struct kernel *k);

/* One iteration of the loop (tests and benchmarks drive it directly). Returns false when
 * nothing was runnable and nothing was pending. */
bool kernel_step(struct kernel *k);

/* The live process with this identity, or NULL (inline: every grant entry asks). */
static inline __attribute__((always_inline)) struct process *kernel_process(struct kernel *k,
                                                                         struct process_id pid)
{
    if (pid.index >= k->config.process_count) {
        return NULL;
    }
    struct process *p = &k->config.processes[pid.index];
    return process_is_alive(p) && p->pid.id == pid.id ? p : NULL;
}

/* The slot of driver_num in the driver index under multiplier m. */
static inline uint32_t kernel_driver_hash(uint32_t driver_num, uint32_t m)
{
    return (driver_num * m) >> (32u - KERNEL_DRIVER_INDEX_BITS);
}

/* The board's driver with this number, or NULL: one probe of the driver index (inline: on
 * every command's path), so a missing driver costs no more than a present one. */
static inline const struct driver_slot *kernel_find_driver(const struct kernel *k,
                                                           uint32_t driver_num)
{
    uint32_t entry = k->driver_index[kernel_driver_hash(driver_num, k->driver_multiplier)];
    if (entry == 0) {
        return NULL;
    }
    const struct driver_slot *slot =
        (const struct driver_slot *)(k->drivers_before + entry * sizeof(struct driver_slot));
    return slot->driver_num == driver_num ? slot : NULL;
}

/* Lifecycle (kernel-internal, also used by tests). */
/* Fresh RAM, new id, entry call queued. ERR_NOMEM if the initial break cannot be mapped. */
MUST_CHECK err_t process_start(struct kernel *k, struct process *p);
void process_terminate(struct kernel *k, struct process *p, uint32_t completion_code);
void process_restart(struct kernel *k, struct process *p);
/* End p's instance after a fault and apply its fault policy; prints the fault report
 * (reason NULL: the hardware fault the arch latched, fault_report.h). kernel/process_fault.c. */
void process_fault(struct kernel *k, struct process *p, const char *reason);
/* End p's instance (grants, queued upcalls, shares released, exit hooks run), leaving it in
 * `state` (FAULTED or TERMINATED), or clear its whole RAM block: process_fault's steps. */
void process_end(struct kernel *k, struct process *p, enum process_state state);
void process_clear_ram(struct process *p);
/* Lifecycle by request (the process console). Kernel loop only, never while p runs.
 * process_stop: an alive process stops being scheduled and keeps everything (memory, grants,
 * queued upcalls; events still queue). ERR_OK, ERR_ALREADY (stopped), ERR_OFF (not alive).
 * process_resume: a stopped process goes back to the state it was stopped in. ERR_OK,
 * ERR_ALREADY (alive, not stopped), ERR_OFF (not alive).
 * process_boot: a process that is not alive (exited, terminated, faulted: stopped, held or
 * waiting for its back-off) starts afresh as the loader starts it: new id, zeroed memory, a new
 * fault streak; its restart and fault counts are kept. ERR_OK,
 * ERR_ALREADY (alive), ERR_NODEVICE (an empty slot), ERR_NOMEM (its memory cannot be mapped:
 * it stays faulted). */
MUST_CHECK err_t process_stop(struct process *p);
MUST_CHECK err_t process_resume(struct process *p);
MUST_CHECK err_t process_boot(struct kernel *k, struct process *p);
/* Report every syscall and upcall of p to the kernel's tracer, or stop. Kept across restarts;
 * a slot the loader fills starts untraced. Costs the untraced nothing: a traced process's
 * syscalls leave the trap's fast path for the loop (doc/reference/024). */
void process_set_traced(struct process *p, bool is_traced);
/* Queue an upcall task for p (ERR_NOMEM when full, nothing counted; ERR_FAIL not alive).
 * When the queue is full but p is blocked in Yield-WaitFor on the task's (driver, subscribe)
 * with no older match queued, the wait completes with the task at once (ERR_OK, not queued). */
MUST_CHECK err_t process_enqueue(struct process *p, const struct upcall_task *task);
/* (kernel/latched_delivery.c) p has just entered (or gone back to) Yield-WaitFor: if its
 * awaited (driver, subscribe) has an event pending (the ring's first match, else a latched
 * one), complete the wait with it now and return true. Keeps "a process in YIELDED_FOR has no
 * latched event it waits for", so the scheduler's readiness test looks at the ring only
 * (record 030). */
bool process_wait_takes_latched(struct process *p);
/* process_enqueue for a driver's event: on a full queue a hook that can hold one of its queued
 * tasks makes room first (upcall_ready_hook.reclaim); only if none can is the event dropped
 * (ERR_NOMEM, counted in p->dropped_upcalls). */
MUST_CHECK err_t kernel_enqueue_upcall(struct kernel *k, struct process *p,
                                       const struct upcall_task *task);
/* Core internal (kernel/upcall.c) for the latched half: kernel_enqueue_upcall's full-queue
 * path (reclaim through the hooks, else drop and count). */
MUST_CHECK err_t kernel_enqueue_upcall_reclaim(struct kernel *k, struct process *p,
                                               const struct upcall_task *task);
/* kernel_enqueue_upcall for grant_schedule_upcall's rarer subscribes (record 030): with
 * is_latched, into p's latched slot for the task's identity (newest wins) unless every slot
 * holds another identity; otherwise, or then, into the ring as kernel_enqueue_upcall does.
 * ERR_FAIL for a process that is not alive. */
MUST_CHECK err_t kernel_enqueue_upcall_above_ring(struct kernel *k, struct process *p,
                                                  const struct upcall_task *task, bool is_latched);
/* (This and process_wait_takes_latched are in kernel/latched_delivery.c, or
 * latched_delivery_none.c in images without latched drivers.) */
/* Core internals (kernel/upcall.c): p just took an upcall, so hooks holding events for lack
 * of room may queue them now; p can now take events on (driver_num, subscribe_num), so hooks
 * holding some for it may queue them. */
void kernel_offer_room(struct kernel *k, struct process *p);
void kernel_run_ready_hooks(struct kernel *k, struct process *p, uint32_t driver_num,
                            uint32_t subscribe_num);

/* Handle the syscall p just made (kernel/syscall.c). */
void syscall_handle(struct kernel *k, struct process *p);
/* The same, from the trap (kernel_syscall_fast), for every syscall that cannot end or fault p:
 * returns false, doing nothing, for exit, an unknown class or yield number. */
bool syscall_handle_fast(struct kernel *k, struct process *p);

/* Move the app break (memop 0/1 and restart): ERR_NOMEM if it would cross the allow mark,
 * the grant region or the MPU's granularity. Zeroes newly exposed memory. */
MUST_CHECK err_t process_set_brk(struct process *p, uintptr_t new_brk);

/* Print a process's state and memory map (fault dumps, panics). */
void process_print(const struct process *p);
/* Begin a fault report (fault_report.h): "\n[kernel] process NAME (id N) faulted: ", then the
 * kernel's reason and a line end, or the arch's fault class with the line left open (returns
 * true) for the address; fills *fault with what the arch latched. */
struct arch_fault;
bool process_print_fault_headline(const struct process *p, const char *reason,
                                  struct arch_fault *fault);
/* The state as process_print names it ("running", "yielded", ...). */
const char *process_state_name(enum process_state s);
