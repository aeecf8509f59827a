/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The kernel object: set up from the board's configuration, its driver index (a perfect hash
 * built once at boot) and its process exit hooks. The loop that runs processes is
 * scheduler.c; upcall bookkeeping is upcall.c.
 *
 * Invariants: the driver index sends every listed driver number to its own slot; it is rebuilt
 * whenever the table changes (kernel_set_drivers).
 */
#include "kernel/kernel.h"

#include "kernel/arch.h"
#include "kernel/debug.h"

#include <stddef.h>

/* Find a multiplier that sends every driver number to its own slot (a perfect hash), so a
 * lookup is one probe whether or not the driver exists. With at most a quarter of the slots
 * used, a random odd multiplier works with probability above 1/70, so the search ends after a
 * few tries (4096 failing in a row has probability below 1e-26). The board's table is fixed:
 * a bad one is a board bug, reported when the kernel starts. */
static void index_drivers(struct kernel *k)
{
    const struct driver_slot *drivers = k->config.drivers;
    uint32_t count = k->config.driver_count;
    if (count > KERNEL_MAX_DRIVERS) {
        kernel_panic("too many drivers for the driver index");
    }
    for (uint32_t i = 0; i < KERNEL_DRIVER_INDEX_SLOTS; i++) {
        k->driver_index[i] = 0;
    }
    uint32_t m = 0x9E3779B1u; /* odd multipliers along the golden ratio's sequence */
    for (uint32_t attempt = 0; attempt < 4096u; attempt++, m = (m + 0x6A09E668u) | 1u) {
        uint32_t placed = 0;
        while (placed < count) {
            uint8_t *slot = &k->driver_index[kernel_driver_hash(drivers[placed].driver_num, m)];
            if (*slot != 0) {
                /* Twins collide under every multiplier, so a number listed twice is found
                 * the first time its earlier copy was placed (no pairwise check at boot). */
                if (drivers[*slot - 1u].driver_num == drivers[placed].driver_num) {
                    kernel_panic("driver table: a driver number is listed twice");
                }
                break;
            }
            *slot = (uint8_t)(placed + 1u);
            placed++;
        }
        if (placed == count) {
            k->driver_multiplier = m;
            k->drivers_before = (uintptr_t)drivers - sizeof(struct driver_slot);
            return;
        }
        for (uint32_t i = 0; i < placed; i++) { /* undo this attempt */
            k->driver_index[kernel_driver_hash(drivers[i].driver_num, m)] = 0;
        }
    }
    kernel_panic("driver table: no collision-free driver index");
}

void kernel_init(struct kernel *k, const struct kernel_config *config)
{
    *k = (struct kernel){ .config = *config, .last_scheduled = config->process_count - 1u };
    index_drivers(k);
    arch_timeslice_set_full(KERNEL_TIMESLICE_US);
}

void kernel_set_drivers(struct kernel *k, const struct driver_slot *drivers, uint32_t count)
{
    k->config.drivers = drivers;
    k->config.driver_count = count;
    index_drivers(k);
}

void kernel_set_memory_map(struct kernel *k, const struct kernel_memory_map *map)
{
    k->memory_map = map;
}

void kernel_set_sched_order(struct kernel *k, const char *const *names, uint32_t count)
{
    k->config.sched_order = names;
    k->config.sched_order_count = count;
}

void kernel_set_fault_overrides(struct kernel *k, const struct process_fault_override *overrides,
                                uint32_t count)
{
    k->config.fault_overrides = overrides;
    k->config.fault_override_count = count;
}

void kernel_add_exit_hook(struct kernel *k, struct process_exit_hook *hook)
{
    list_prepend(&k->exit_hooks, &hook->node);
}
