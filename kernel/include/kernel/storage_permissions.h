/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * A process's storage permissions, from its TBF Storage Permissions TLV (spec §3.5.7).
 *
 * Storage drivers tag every object they store with the writer's write_id and then check each
 * later access against the accessing process's permissions: it may read objects whose tag is its
 * own write_id or one of its read ids, and modify (overwrite or delete) objects whose tag is its
 * own write_id or one of its modify ids. A write_id of 0 means the process may not create
 * objects. A process whose TBF has no such TLV has `is_present` false; what that means is each
 * driver's policy (the key-value driver refuses it everything).
 *
 * Usage: the loader copies the TLV into struct process (kernel/process_loader.c); a driver gets
 * a copy through the lookup the board gives it and asks storage_permissions_can_read() etc.
 *
 * Invariants: read_count and modify_count are at most STORAGE_PERMISSIONS_MAX_IDS; entries past
 * the counts are 0.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define STORAGE_PERMISSIONS_MAX_IDS 8u

struct storage_permissions {
    bool is_present; /* the TBF had a Storage Permissions TLV */
    uint32_t write_id;
    uint32_t read_count;
    uint32_t read_ids[STORAGE_PERMISSIONS_MAX_IDS];
    uint32_t modify_count;
    uint32_t modify_ids[STORAGE_PERMISSIONS_MAX_IDS];
};

/* The process may create objects (they are tagged with its write_id). */
static inline bool storage_permissions_can_write(const struct storage_permissions *p)
{
    return p->is_present && p->write_id != 0;
}

static inline bool storage_permissions_is_listed(const uint32_t *ids, uint32_t count,
                                                 uint32_t id)
{
    for (uint32_t i = 0; i < count && i < STORAGE_PERMISSIONS_MAX_IDS; i++) {
        if (ids[i] == id) {
            return true;
        }
    }
    return false;
}

/* The process may read an object tagged `object_write_id`. */
static inline bool storage_permissions_can_read(const struct storage_permissions *p,
                                                uint32_t object_write_id)
{
    if (!p->is_present || object_write_id == 0) {
        return false;
    }
    return object_write_id == p->write_id ||
           storage_permissions_is_listed(p->read_ids, p->read_count, object_write_id);
}

/* The process may overwrite or delete an object tagged `object_write_id`. */
static inline bool storage_permissions_can_modify(const struct storage_permissions *p,
                                                  uint32_t object_write_id)
{
    if (!p->is_present || object_write_id == 0) {
        return false;
    }
    return object_write_id == p->write_id ||
           storage_permissions_is_listed(p->modify_ids, p->modify_count, object_write_id);
}
