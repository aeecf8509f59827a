/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Model checking of process isolation on the host (doc/reference/014-isolation-model-check.md):
 * random process layouts are driven through the arch_mpu_* calls in the order the kernel makes
 * them, and after every call an independent decoder of the resulting registers must agree with
 * a model of what the process may touch, at every address where either can change.
 *
 * The checker is architecture-neutral; each arch's test supplies a struct isolation_arch.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/arch.h"

struct isolation_arch {
    const char *name;
    uint32_t share_capacity; /* distinct shared buffers exposed at once */
    /* Rounding unit of the RAM accessible end for a block the arch chose, or 0 when the block
     * [mem_start, mem_start + mem_size) does not have a shape the arch documents. */
    uint32_t (*ram_granule)(uint32_t mem_start, uint32_t mem_size);
    /* End of the flash range promised (read + execute) for an accepted TBF [start, +size). */
    uint64_t (*flash_promised_end)(uint32_t start, uint32_t size);
    /* Whether the hardware can cover exactly that promise (a refusal then is unnecessary). */
    bool (*flash_representable)(uint32_t start, uint32_t size);
    /* Whether [addr, addr + len) can be exposed exactly as one shared region. */
    bool (*share_representable)(uint32_t addr, uint32_t len);
    /* Decoder glue: `load` takes the register values the configuration would load into the
     * hardware (as arch_mpu_configure does); the others read those loaded values with the
     * independent decoder. */
    void (*load)(const struct arch_mpu *mpu);
    const char *(*invalid)(void);
    uint32_t (*access)(uint32_t addr, bool privileged);
    uint32_t (*edges)(uint64_t *out, uint32_t max);
    void (*dump)(void);
    /* Typical memory windows, where most layouts are drawn. */
    uint32_t flash_window[2];
    uint32_t ram_window[2];
};

enum isolation_refusal {
    REFUSED_FLASH,
    REFUSED_RAM,
    REFUSED_BRK,
    REFUSED_GRANT,
    REFUSED_SHARE_INVAL,
    REFUSED_SHARE_FULL,
    REFUSED_BAD_CALL,
    REFUSAL_KINDS,
};

struct isolation_stats {
    uint64_t layouts;        /* layouts generated */
    uint64_t running;        /* layouts whose flash and RAM were accepted (process runs) */
    uint64_t operations;     /* arch_mpu_* calls made */
    uint64_t checks;         /* decoder-versus-model comparisons of a whole configuration */
    uint64_t addresses;      /* addresses compared */
    uint64_t refusals[REFUSAL_KINDS];
    uint64_t unnecessary_flash_refusals; /* representable TBFs the arch refused */
};

/* Check layouts from seed, seed + 1, ... until `count` of them run (flash and RAM accepted);
 * refused layouts are counted on top. Prints the first counterexample (with the seed that
 * reproduces it alone) and returns false; true when every layout matched the model. */
bool isolation_run(const struct isolation_arch *arch, uint64_t seed, uint32_t count,
                   struct isolation_stats *stats);

/* The whole check as each arch's test runs it: ISOLATION_LAYOUTS running layouts (default
 * 100,000, 25,000 under ASan/UBSan, which is about four times slower) from ISOLATION_SEED
 * (default 1), the figures printed. True only when no counterexample was found and at least
 * that many layouts ran. */
bool isolation_check_arch(const struct isolation_arch *arch);
