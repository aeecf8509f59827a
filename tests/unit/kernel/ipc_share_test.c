/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for IPC_SHARE (kernel/ipc/ipc_share.c), driven through real syscalls on the kernel
 * fixture's three processes: process 0 owns shares and registers "owner", 1 is the peer it
 * offers them to, 2 a bystander that registers "other" and sometimes owns shares too. The fake
 * MPU records the shared regions of each process (fake_arch.shared_regions of them).
 *
 * They check the offer/map/unmap/revoke contract and every refusal, that a mapping goes away on
 * revoke, on re-allow and with either side's instance, the per-process budget (the board's
 * and the hardware's), and, as an isolation model (record 014, record 031), that over random
 * sequences of every operation and restarts a process's shared regions are always exactly
 * offers made to its current instance by a live owner, inside that owner's current allow.
 *
 * Usage: make build/host/ipc_share_test && build/host/ipc_share_test [seed]
 */
#include "kernel_fixture.h"

#include <stdlib.h>

#include "container.h"

#include "ipc/ipc_msg.h"
#include "ipc/ipc_name.h"
#include "ipc/ipc_share.h"
#include "kernel/grant_internal.h"

enum {
    NAME = KERNEL_IPC_NAME_DRIVER_NUM,
    SHARE = KERNEL_IPC_SHARE_DRIVER_NUM,
    REGISTER = 1,
    LOOKUP = 3,
    REOPEN = 4,
    OFFER = 1,
    MAP = 2,
    UNMAP = 3,
    REVOKE = 4,
    BUDGET = 5,
    RW = IPC_SHARE_READ_WRITE,
    SLOT0_OFFSET = 0x100, /* inside every process's initial break */
    SLOT1_OFFSET = 0x200,
    SHARE_LEN = 64,
    NAME_OFFSET = 1024,
    MAX_MAPPED = 2,
};

static struct fixture fx;
static struct ipc_name names;
static struct ipc_share share;
static struct driver_slot slots[FIX_DRIVERS + 2];
static struct process *owner, *peer, *other;
static unsigned long model_seed = 1;

static int setup(void **state)
{
    (void)state;
    fixture_init_unloaded(&fx, (struct process_fault_policy){ .action = PROCESS_FAULT_STOP });
    const struct driver_slot extra[] = { { NAME, &names.driver }, { SHARE, &share.driver } };
    fixture_add_drivers(&fx, slots, extra, 2);
    assert_int_equal(ipc_name_init(&names, &fx.k, ipc_name_allow_all), ERR_OK);
    assert_int_equal(ipc_share_init(&share, &fx.k, &names, MAX_MAPPED), ERR_OK);
    fx.k.processes_loaded = true;
    fake_arch.initial_app_brk = 2048;
    fake_arch.shared_regions = 4;
    owner = fixture_running(&fx, 0);
    peer = fixture_running(&fx, 1);
    other = fixture_running(&fx, 2);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fixture_fini(&fx);
    return 0;
}

static uint32_t addr(const struct process *p, uint32_t offset)
{
    return u32(p->mem_start + offset);
}

static uint32_t r1(const struct process *p)
{
    return p->context.regs[1];
}

static uint32_t r2(const struct process *p)
{
    return p->context.regs[2];
}

static uint32_t command(struct process *p, uint32_t driver, uint32_t num, uint32_t a0,
                        uint32_t a1)
{
    return fixture_sys(&fx, p, CLASS_COMMAND, driver, num, a0, a1);
}

static void allow_name(struct process *p, const char *name)
{
    memcpy((void *)(p->mem_start + NAME_OFFSET), name, strlen(name));
    assert_int_equal(fixture_sys(&fx, p, CLASS_ALLOW_RO, NAME, 0, addr(p, NAME_OFFSET),
                                 (uint32_t)strlen(name)),
                     SUCCESS_2U32);
}

static void register_as(struct process *p, const char *name)
{
    allow_name(p, name);
    assert_int_equal(command(p, NAME, REGISTER, 0, 0), SUCCESS);
}

static uint32_t lookup(struct process *p, const char *name)
{
    allow_name(p, name);
    assert_int_equal(command(p, NAME, LOOKUP, 0, 0), SUCCESS_U32);
    return r1(p);
}

/* The syscall's return variant for p's read-write allow on share slot n. */
static uint32_t allow_slot(struct process *p, uint32_t n, uint32_t offset, uint32_t len)
{
    return fixture_sys(&fx, p, CLASS_ALLOW_RW, SHARE, n, len != 0 ? addr(p, offset) : 0, len);
}

static uint32_t slot_offset(uint32_t n)
{
    return n == 0 ? SLOT0_OFFSET : SLOT1_OFFSET;
}

/* p allows SHARE_LEN bytes on slot n and offers them read-write to the process behind desc;
 * returns the offer id. */
static uint32_t offer(struct process *p, uint32_t desc, uint32_t n)
{
    assert_int_equal(allow_slot(p, n, slot_offset(n), SHARE_LEN), SUCCESS_2U32);
    assert_int_equal(command(p, SHARE, OFFER, desc, n | (RW << 8)), SUCCESS_U32);
    return r1(p);
}

/* p's shared region i as the fake MPU holds it (len 0: none). */
static uint32_t region_start(const struct process *p, uint32_t i)
{
    return u32(i == 0 ? p->mpu.shared_start : p->mpu.more_shared_start[i - 1]);
}

static uint32_t region_len(const struct process *p, uint32_t i)
{
    return i == 0 ? p->mpu.shared_len : p->mpu.more_shared_len[i - 1];
}

static uint32_t regions(const struct process *p)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < 4; i++) {
        n += region_len(p, i) != 0;
    }
    return n;
}

static bool has_region(const struct process *p, uint32_t start, uint32_t len)
{
    for (uint32_t i = 0; i < 4; i++) {
        if (region_len(p, i) == len && region_start(p, i) == start) {
            return true;
        }
    }
    return false;
}

/* Both sides registered; returns the peer's descriptor for the owner in *to_owner and the
 * owner's descriptor for the peer in *to_peer. */
static void introduce(uint32_t *to_peer, uint32_t *to_owner)
{
    register_as(owner, "owner");
    register_as(peer, "peer");
    *to_peer = lookup(owner, "peer");
    *to_owner = lookup(peer, "owner");
}

/* ---- the contract ---- */

static void test_offered_region_is_mapped_into_the_peer_only(void **state)
{
    (void)state;
    uint32_t to_peer, to_owner;
    introduce(&to_peer, &to_owner);
    uint32_t id = offer(owner, to_peer, 0);
    assert_int_equal(regions(peer), 0); /* offering maps nothing yet */
    assert_int_equal(command(peer, SHARE, MAP, to_owner, id), SUCCESS_2U32);
    assert_int_equal(r1(peer), addr(owner, SLOT0_OFFSET));
    assert_int_equal(r2(peer), SHARE_LEN);
    assert_true(has_region(peer, addr(owner, SLOT0_OFFSET), SHARE_LEN));
    assert_int_equal(regions(peer), 1);
    assert_int_equal(regions(owner), 0);
    assert_int_equal(regions(other), 0);
    /* Mapping it again returns it again and costs no second region. */
    assert_int_equal(command(peer, SHARE, MAP, to_owner, id), SUCCESS_2U32);
    assert_int_equal(regions(peer), 1);
    assert_int_equal(command(peer, SHARE, BUDGET, 0, 0), SUCCESS_2U32);
    assert_int_equal(r1(peer), 1);
    assert_int_equal(r2(peer), MAX_MAPPED);
}

static void test_offer_made_to_another_process_cannot_be_mapped(void **state)
{
    (void)state;
    uint32_t to_peer, to_owner;
    introduce(&to_peer, &to_owner);
    uint32_t id = offer(owner, to_peer, 0);
    uint32_t other_to_owner = lookup(other, "owner");
    assert_int_equal(command(other, SHARE, MAP, other_to_owner, id), FAILURE);
    assert_int_equal(r1(other), ERR_INVAL);
    assert_int_equal(regions(other), 0);
    /* Nor can the peer map it through a descriptor naming someone else. */
    register_as(other, "other");
    uint32_t to_other = lookup(peer, "other");
    assert_int_equal(command(peer, SHARE, MAP, to_other, id), FAILURE);
    assert_int_equal(r1(peer), ERR_INVAL);
    assert_int_equal(regions(peer), 0);
}

static void test_forged_offer_ids_and_descriptors_are_refused(void **state)
{
    (void)state;
    uint32_t to_peer, to_owner;
    introduce(&to_peer, &to_owner);
    uint32_t id = offer(owner, to_peer, 0);
    const uint32_t forged[] = { 0, id + 1, id ^ 0x100, id | 0x1000000u, 0xFFFFFFFFu, 1, 0xFF };
    for (size_t i = 0; i < ARRAY_LEN(forged); i++) {
        assert_int_equal(command(peer, SHARE, MAP, to_owner, forged[i]), FAILURE);
        assert_int_equal(r1(peer), ERR_INVAL);
    }
    const uint32_t bad_desc[] = { 0, 7, 9, 0xFFFFFFFFu };
    for (size_t i = 0; i < ARRAY_LEN(bad_desc); i++) {
        assert_int_equal(command(peer, SHARE, MAP, bad_desc[i], id), FAILURE);
        assert_int_equal(r1(peer), ERR_INVAL);
        assert_int_equal(command(owner, SHARE, OFFER, bad_desc[i], 1 | (RW << 8)), FAILURE);
        assert_int_equal(r1(owner), ERR_INVAL);
    }
    assert_int_equal(regions(peer), 0);
    assert_int_equal(command(owner, SHARE, REVOKE, id + 0x100, 0), FAILURE);
    assert_int_equal(r1(owner), ERR_INVAL);
    assert_int_equal(command(peer, SHARE, REVOKE, id, 0), FAILURE); /* not the owner's */
    assert_int_equal(r1(peer), ERR_INVAL);
    assert_int_equal(command(peer, SHARE, MAP, to_owner, id), SUCCESS_2U32); /* still offered */
}

static void test_offer_refusals(void **state)
{
    (void)state;
    uint32_t to_peer, to_owner;
    introduce(&to_peer, &to_owner);
    /* Nothing allowed on the slot yet. */
    assert_int_equal(command(owner, SHARE, OFFER, to_peer, 0 | (RW << 8)), FAILURE);
    assert_int_equal(r1(owner), ERR_RESERVE);
    assert_int_equal(allow_slot(owner, 0, SLOT0_OFFSET, SHARE_LEN), SUCCESS_2U32);
    /* Bad slot, no rights, unknown rights bits. */
    assert_int_equal(command(owner, SHARE, OFFER, to_peer, IPC_SHARE_SLOTS | (RW << 8)),
                     FAILURE);
    assert_int_equal(r1(owner), ERR_INVAL);
    assert_int_equal(command(owner, SHARE, OFFER, to_peer, 0), FAILURE);
    assert_int_equal(r1(owner), ERR_INVAL);
    assert_int_equal(command(owner, SHARE, OFFER, to_peer, 0 | (4u << 8)), FAILURE);
    assert_int_equal(r1(owner), ERR_INVAL);
    /* Read-only: the arch maps shares read-write only, so it is refused, not widened. */
    assert_int_equal(command(owner, SHARE, OFFER, to_peer, 0 | (1u << 8)), FAILURE);
    assert_int_equal(r1(owner), ERR_NOSUPPORT);
    /* To itself. */
    uint32_t to_self = lookup(owner, "owner");
    assert_int_equal(command(owner, SHARE, OFFER, to_self, 0 | (RW << 8)), FAILURE);
    assert_int_equal(r1(owner), ERR_INVAL);
    /* A second offer of an offered slot. */
    assert_int_equal(command(owner, SHARE, OFFER, to_peer, 0 | (RW << 8)), SUCCESS_U32);
    uint32_t id = r1(owner);
    assert_int_equal(command(owner, SHARE, OFFER, to_peer, 0 | (RW << 8)), FAILURE);
    assert_int_equal(r1(owner), ERR_ALREADY);
    /* After REVOKE the slot may be offered again, under a new id. */
    assert_int_equal(command(owner, SHARE, REVOKE, id, 0), SUCCESS);
    assert_int_equal(command(owner, SHARE, OFFER, to_peer, 0 | (RW << 8)), SUCCESS_U32);
    assert_int_not_equal(r1(owner), id);
    assert_int_equal(command(peer, SHARE, MAP, to_owner, id), FAILURE); /* the old id is dead */
    assert_int_equal(r1(peer), ERR_INVAL);
    assert_int_equal(command(owner, SHARE, 99, 0, 0), FAILURE);
    assert_int_equal(r1(owner), ERR_NOSUPPORT);
    assert_int_equal(command(owner, SHARE, 0, 0, 0), SUCCESS);
}

/* The exactness rule: a region the MPU/PMP cannot cover exactly is refused when allowed (the
 * fake covers 4-aligned multiples of 4), never rounded up into a larger mapping. */
static void test_unmappable_region_is_refused_at_allow(void **state)
{
    (void)state;
    assert_int_equal(allow_slot(owner, 0, SLOT0_OFFSET + 1, SHARE_LEN), SYSCALL_FAILURE_2U32);
    assert_int_equal(r1(owner), ERR_INVAL);
    assert_int_equal(allow_slot(owner, 0, SLOT0_OFFSET, SHARE_LEN - 2), SYSCALL_FAILURE_2U32);
    assert_int_equal(r1(owner), ERR_INVAL);
    assert_int_equal(command(owner, SHARE, OFFER, 1, 0 | (RW << 8)), FAILURE);
}

static void test_unmap_then_map_again(void **state)
{
    (void)state;
    uint32_t to_peer, to_owner;
    introduce(&to_peer, &to_owner);
    uint32_t id = offer(owner, to_peer, 0);
    assert_int_equal(command(peer, SHARE, UNMAP, to_owner, id), FAILURE); /* not mapped yet */
    assert_int_equal(r1(peer), ERR_INVAL);
    assert_int_equal(command(peer, SHARE, MAP, to_owner, id), SUCCESS_2U32);
    assert_int_equal(command(peer, SHARE, UNMAP, to_owner, id), SUCCESS);
    assert_int_equal(regions(peer), 0);
    assert_int_equal(command(peer, SHARE, UNMAP, to_owner, id), FAILURE);
    assert_int_equal(command(peer, SHARE, MAP, to_owner, id), SUCCESS_2U32);
    assert_int_equal(regions(peer), 1);
}

/* Two offers of the same bytes share one region: removing it for one loses the other early
 * (never late), and mapping the other again brings the region back. */
static void test_mapping_lost_to_a_removal_of_the_same_range_comes_back_on_map(void **state)
{
    (void)state;
    uint32_t to_peer, to_owner;
    introduce(&to_peer, &to_owner);
    uint32_t a = offer(owner, to_peer, 0);
    assert_int_equal(allow_slot(owner, 1, SLOT0_OFFSET, SHARE_LEN), SUCCESS_2U32);
    assert_int_equal(command(owner, SHARE, OFFER, to_peer, 1 | (RW << 8)), SUCCESS_U32);
    uint32_t b = r1(owner);
    assert_int_equal(command(peer, SHARE, MAP, to_owner, a), SUCCESS_2U32);
    assert_int_equal(command(peer, SHARE, MAP, to_owner, b), SUCCESS_2U32);
    assert_int_equal(regions(peer), 1);
    assert_int_equal(command(peer, SHARE, UNMAP, to_owner, a), SUCCESS);
    assert_int_equal(regions(peer), 0); /* b's mapping went with it: early, not late */
    assert_int_equal(command(peer, SHARE, MAP, to_owner, b), SUCCESS_2U32);
    assert_true(has_region(peer, addr(owner, SLOT0_OFFSET), SHARE_LEN));
    assert_int_equal(command(peer, SHARE, BUDGET, 0, 0), SUCCESS_2U32);
    assert_int_equal(r1(peer), 1);
}

/* ---- revocation ---- */

static void test_revoke_unmaps_from_the_peer(void **state)
{
    (void)state;
    uint32_t to_peer, to_owner;
    introduce(&to_peer, &to_owner);
    uint32_t id = offer(owner, to_peer, 0);
    assert_int_equal(command(peer, SHARE, MAP, to_owner, id), SUCCESS_2U32);
    uint32_t generation = peer->mpu.generation;
    assert_int_equal(command(owner, SHARE, REVOKE, id, 0), SUCCESS);
    assert_int_equal(regions(peer), 0);
    assert_int_not_equal(peer->mpu.generation, generation); /* reloaded before it runs again */
    assert_int_equal(command(peer, SHARE, MAP, to_owner, id), FAILURE);
    assert_int_equal(r1(peer), ERR_INVAL);
    assert_int_equal(command(owner, SHARE, REVOKE, id, 0), FAILURE);
}

static void test_replacing_or_clearing_the_allow_revokes(void **state)
{
    (void)state;
    uint32_t to_peer, to_owner;
    introduce(&to_peer, &to_owner);
    uint32_t id = offer(owner, to_peer, 0);
    assert_int_equal(command(peer, SHARE, MAP, to_owner, id), SUCCESS_2U32);
    /* The owner moves slot 0 elsewhere: the old region leaves the peer before allow returns. */
    assert_int_equal(allow_slot(owner, 0, SLOT1_OFFSET, SHARE_LEN), SUCCESS_2U32);
    assert_int_equal(regions(peer), 0);
    assert_int_equal(command(peer, SHARE, MAP, to_owner, id), FAILURE);
    assert_int_equal(command(owner, SHARE, OFFER, to_peer, 0 | (RW << 8)), SUCCESS_U32);
    id = r1(owner);
    assert_int_equal(command(peer, SHARE, MAP, to_owner, id), SUCCESS_2U32);
    assert_int_equal(r1(peer), addr(owner, SLOT1_OFFSET));
    assert_int_equal(allow_slot(owner, 0, 0, 0), SUCCESS_2U32); /* cleared */
    assert_int_equal(regions(peer), 0);
    assert_int_equal(command(peer, SHARE, MAP, to_owner, id), FAILURE);
}

static void test_restarted_owner_takes_its_shares_with_it(void **state)
{
    (void)state;
    uint32_t to_peer, to_owner;
    introduce(&to_peer, &to_owner);
    uint32_t id = offer(owner, to_peer, 0);
    assert_int_equal(command(peer, SHARE, MAP, to_owner, id), SUCCESS_2U32);
    process_restart(&fx.k, owner);
    assert_int_equal(regions(peer), 0); /* before the owner's memory is used again */
    owner = fixture_running(&fx, 0);
    register_as(owner, "owner");
    /* The old descriptor names the dead instance; the offer went with it. */
    assert_int_equal(command(peer, SHARE, MAP, to_owner, id), FAILURE_U32);
    assert_int_equal(r1(peer), ERR_UNINSTALLED);
    assert_int_equal(r2(peer), IPC_PEER_RESTARTED);
    allow_name(peer, "owner");
    assert_int_equal(command(peer, NAME, REOPEN, to_owner, 0), SUCCESS_U32);
    assert_int_equal(command(peer, SHARE, MAP, to_owner, id), FAILURE);
    assert_int_equal(r1(peer), ERR_INVAL);
    assert_int_equal(regions(peer), 0);
}

static void test_owner_that_exits_takes_its_shares_with_it(void **state)
{
    (void)state;
    uint32_t to_peer, to_owner;
    introduce(&to_peer, &to_owner);
    uint32_t id = offer(owner, to_peer, 1);
    assert_int_equal(command(peer, SHARE, MAP, to_owner, id), SUCCESS_2U32);
    process_terminate(&fx.k, owner, 0);
    assert_int_equal(regions(peer), 0);
    assert_int_equal(command(peer, SHARE, MAP, to_owner, id), FAILURE_U32);
    assert_int_equal(r1(peer), ERR_UNINSTALLED);
    assert_int_equal(r2(peer), IPC_PEER_DEAD);
}

static void test_offer_to_a_restarted_peer_is_dropped(void **state)
{
    (void)state;
    uint32_t to_peer, to_owner;
    introduce(&to_peer, &to_owner);
    uint32_t id = offer(owner, to_peer, 0);
    assert_int_equal(command(peer, SHARE, MAP, to_owner, id), SUCCESS_2U32);
    process_restart(&fx.k, peer);
    assert_int_equal(regions(peer), 0);
    peer = fixture_running(&fx, 1);
    to_owner = lookup(peer, "owner");
    /* The offer was to the old instance: the new one cannot map it. */
    assert_int_equal(command(peer, SHARE, MAP, to_owner, id), FAILURE);
    assert_int_equal(r1(peer), ERR_INVAL);
    assert_int_equal(regions(peer), 0);
    /* The owner's slot is free for a new offer, and its old descriptor is stale. */
    assert_int_equal(command(owner, SHARE, REVOKE, id, 0), FAILURE);
    assert_int_equal(command(owner, SHARE, OFFER, to_peer, 0 | (RW << 8)), FAILURE_U32);
    assert_int_equal(r1(owner), ERR_UNINSTALLED);
    assert_int_equal(r2(owner), IPC_PEER_RESTARTED);
}

/* ---- the budget ---- */

static void test_board_budget_refuses_a_third_mapping(void **state)
{
    (void)state;
    uint32_t to_peer, to_owner;
    introduce(&to_peer, &to_owner);
    uint32_t a = offer(owner, to_peer, 0), b = offer(owner, to_peer, 1);
    register_as(other, "other");
    uint32_t other_to_peer = lookup(other, "peer");
    uint32_t c = offer(other, other_to_peer, 0);
    uint32_t to_other = lookup(peer, "other");
    assert_int_equal(command(peer, SHARE, MAP, to_owner, a), SUCCESS_2U32);
    assert_int_equal(command(peer, SHARE, MAP, to_owner, b), SUCCESS_2U32);
    assert_int_equal(command(peer, SHARE, MAP, to_other, c), FAILURE);
    assert_int_equal(r1(peer), ERR_NOMEM);
    assert_int_equal(regions(peer), 2);
    assert_int_equal(command(peer, SHARE, BUDGET, 0, 0), SUCCESS_2U32);
    assert_int_equal(r1(peer), 2);
    /* Unmapping one makes room. */
    assert_int_equal(command(peer, SHARE, UNMAP, to_owner, a), SUCCESS);
    assert_int_equal(command(peer, SHARE, MAP, to_other, c), SUCCESS_2U32);
    assert_true(has_region(peer, addr(other, SLOT0_OFFSET), SHARE_LEN));
}

/* The hardware's part of the budget: regions the compatible IPC (or anything else) uses are
 * not there for IPC_SHARE; the refusal records nothing. */
static void test_hardware_budget_refuses_cleanly(void **state)
{
    (void)state;
    fake_arch.shared_regions = 1;
    uint32_t to_peer, to_owner;
    introduce(&to_peer, &to_owner);
    uint32_t a = offer(owner, to_peer, 0), b = offer(owner, to_peer, 1);
    assert_int_equal(command(peer, SHARE, MAP, to_owner, a), SUCCESS_2U32);
    assert_int_equal(command(peer, SHARE, MAP, to_owner, b), FAILURE);
    assert_int_equal(r1(peer), ERR_NOMEM);
    assert_int_equal(command(peer, SHARE, BUDGET, 0, 0), SUCCESS_2U32);
    assert_int_equal(r1(peer), 1);
    assert_int_equal(command(peer, SHARE, UNMAP, to_owner, b), FAILURE); /* never mapped */
    assert_true(has_region(peer, addr(owner, SLOT0_OFFSET), SHARE_LEN));
}

/* ---- isolation model: random operations, the invariant checked after each ---- */

struct model_share {
    bool offered;
    uint32_t id;
    uint32_t peer_desc_index; /* which process the offer is to */
};

/* What each process may reach through shared regions: exactly the regions of offers made to
 * its current instance by a live owner, inside the owner's current allow on that slot. */
static void check_isolation(unsigned long seed, uint32_t step)
{
    for (uint32_t p = 0; p < FIX_PROCS; p++) {
        const struct process *proc = &fx.procs[p];
        for (uint32_t i = 0; i < 4; i++) {
            uint32_t len = region_len(proc, i);
            if (len == 0) {
                continue;
            }
            uint32_t start = region_start(proc, i);
            bool justified = false;
            for (uint32_t o = 0; o < FIX_PROCS && !justified; o++) {
                const struct process *own = &fx.procs[o];
                for (uint32_t slot = 0; slot < IPC_SHARE_SLOTS; slot++) {
                    const struct ipc_share_offer *offer = &share.offers[o][slot];
                    uint32_t allow[2];
                    bool allowed = process_is_alive(own) &&
                                   grant_slot_read(&share.grant, own, GRANT_SLOT_READ_WRITE,
                                                   slot, allow) &&
                                   allow[0] == start && allow[1] == len;
                    if (allowed && offer->len != 0 && offer->mapped != 0 &&
                        offer->addr == start && offer->len == len && offer->peer_index == p &&
                        offer->peer_id == proc->pid.id && o != p) {
                        justified = true;
                        break;
                    }
                }
            }
            if (!justified || !process_is_alive(proc)) {
                fail_msg("seed %lu step %u: process %u reaches [0x%08x, +%u) that no live owner "
                         "offers it now",
                         seed, step, p, start, len);
            }
        }
    }
}

static uint32_t pick(uint32_t n)
{
    return (uint32_t)rand() % n;
}

static void random_step(uint32_t descs[FIX_PROCS][FIX_PROCS], uint32_t ids[FIX_PROCS][2])
{
    uint32_t a = pick(FIX_PROCS), b = (a + 1u + pick(FIX_PROCS - 1u)) % FIX_PROCS;
    struct process *pa = &fx.procs[a];
    uint32_t slot = pick(IPC_SHARE_SLOTS);
    switch (pick(9)) {
    case 0: /* offer */
        if (process_is_alive(pa) && descs[a][b] != 0 &&
            allow_slot(pa, slot, slot_offset(slot) + 64u * pick(3), SHARE_LEN) == SUCCESS_2U32 &&
            command(pa, SHARE, OFFER, descs[a][b], slot | (RW << 8)) == SUCCESS_U32) {
            ids[a][slot] = r1(pa);
        }
        break;
    case 1: /* map, through a right or a wrong descriptor, a right or a stale id */
    case 2:
        if (process_is_alive(pa)) {
            (void)command(pa, SHARE, MAP, descs[a][b], ids[b][slot] ^ (pick(8) == 0 ? 0x100 : 0));
        }
        break;
    case 3:
        if (process_is_alive(pa)) {
            (void)command(pa, SHARE, UNMAP, descs[a][b], ids[b][slot]);
        }
        break;
    case 4:
        if (process_is_alive(pa)) {
            (void)command(pa, SHARE, REVOKE, ids[a][slot], 0);
        }
        break;
    case 5: /* re-allow: the same, another or no buffer */
        if (process_is_alive(pa)) {
            uint32_t choice = pick(3);
            (void)allow_slot(pa, slot, choice == 2 ? 0 : slot_offset(choice),
                             choice == 2 ? 0 : SHARE_LEN);
        }
        break;
    case 6: /* restart or exit and come back */
        if (pick(2) == 0) {
            process_restart(&fx.k, pa);
        } else {
            process_terminate(&fx.k, pa, 0);
        }
        pa = fixture_running(&fx, a);
        for (uint32_t i = 0; i < FIX_PROCS; i++) {
            descs[a][i] = 0;
        }
        register_as(pa, (const char *[]){ "p0", "p1", "p2" }[a]);
        break;
    default: /* (re)look up, or reopen a stale descriptor */
        if (process_is_alive(pa)) {
            allow_name(pa, (const char *[]){ "p0", "p1", "p2" }[b]);
            if (descs[a][b] != 0 && pick(2) == 0) {
                (void)command(pa, NAME, REOPEN, descs[a][b], 0);
            } else if (command(pa, NAME, LOOKUP, 0, 0) == SUCCESS_U32) {
                descs[a][b] = r1(pa);
            }
        }
        break;
    }
}

static void test_isolation_model_random_operations(void **state)
{
    (void)state;
    fake_arch.shared_regions = 3;
    for (uint32_t run = 0; run < 200; run++) {
        unsigned long seed = model_seed + run;
        srand((unsigned)seed);
        fixture_fini(&fx);
        (void)setup(NULL);
        fake_arch.shared_regions = 1u + pick(3);
        uint32_t descs[FIX_PROCS][FIX_PROCS] = { { 0 } };
        uint32_t ids[FIX_PROCS][2] = { { 0 } };
        register_as(owner, "p0");
        register_as(peer, "p1");
        register_as(other, "p2");
        for (uint32_t step = 0; step < 300; step++) {
            random_step(descs, ids);
            check_isolation(seed, step);
        }
    }
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(int argc, char **argv)
{
    if (argc > 1) {
        model_seed = strtoul(argv[1], NULL, 0);
    }
    const struct CMUnitTest tests[] = {
        T(test_offered_region_is_mapped_into_the_peer_only),
        T(test_offer_made_to_another_process_cannot_be_mapped),
        T(test_forged_offer_ids_and_descriptors_are_refused),
        T(test_offer_refusals),
        T(test_unmappable_region_is_refused_at_allow),
        T(test_unmap_then_map_again),
        T(test_mapping_lost_to_a_removal_of_the_same_range_comes_back_on_map),
        T(test_revoke_unmaps_from_the_peer),
        T(test_replacing_or_clearing_the_allow_revokes),
        T(test_restarted_owner_takes_its_shares_with_it),
        T(test_owner_that_exits_takes_its_shares_with_it),
        T(test_offer_to_a_restarted_peer_is_dropped),
        T(test_board_budget_refuses_a_third_mapping),
        T(test_hardware_budget_refuses_cleanly),
        T(test_isolation_model_random_operations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
