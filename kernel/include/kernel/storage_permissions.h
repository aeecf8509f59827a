/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * A process's storage permissions, from its TBF Storage Permissions TLV (ABI §3.5.7).
 *
 * Storage drivers tag every object they store with the writer's write_id and then check each
 * later access against the accessing process's permissions, as Tock's TBF-header policy does
 * (StoragePermissions::FixedSize with read_modify_self false): a process may read exactly the
 * objects whose tag is in its read ids and modify (overwrite or delete) exactly those whose tag
 * is in its modify ids. Its own write_id grants nothing by itself: a process that wants to read
 * back what it wrote lists its write_id among its read ids. A write_id of 0 means the process may
 * not create objects, and objects are never tagged 0 (id 0 is the kernel's in Tock), so 0 in a
 * list grants nothing. A process whose TBF has no such TLV has `is_present` false and every
 * check fails (Tock's null permissions); a driver may choose another policy for it (the isolated
 * storage driver gives it a self-only identity, see storage_permissions_self_only()).
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
    return storage_permissions_is_listed(p->read_ids, p->read_count, object_write_id);
}

/* The process may overwrite or delete an object tagged `object_write_id`. */
static inline bool storage_permissions_can_modify(const struct storage_permissions *p,
                                                  uint32_t object_write_id)
{
    if (!p->is_present || object_write_id == 0) {
        return false;
    }
    return storage_permissions_is_listed(p->modify_ids, p->modify_count, object_write_id);
}

/* Tock's "self only" permissions for `id` (0: none at all): the process writes under `id` and
 * may read and modify exactly what carries `id`. */
static inline struct storage_permissions storage_permissions_self_only(uint32_t id)
{
    if (id == 0) {
        return (struct storage_permissions){ .is_present = false };
    }
    return (struct storage_permissions){ .is_present = true, .write_id = id, .read_count = 1,
                                         .read_ids = { id }, .modify_count = 1,
                                         .modify_ids = { id } };
}
