/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The isolation model checker (see isolation_check.h and doc/reference/014).
 *
 * Each layout is generated from its own seed, so one seed alone reproduces a counterexample.
 * The model mirrors the kernel's bookkeeping (process.c, grant.c, ipc.c): flash promise, RAM
 * block, app break, kernel break, shared buffers. The kernel's own pre-checks are applied
 * before each arch call, exactly as the kernel makes them; a few deliberately bad calls test
 * that the arch refuses them without changing anything.
 */
#include "isolation_check.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "access_bits.h"

#define MAX_SHARES 8u
#define MAX_OPS 24u
#define MAX_POINTS 400u
#define ADDRESS_SPACE 0x100000000ull

/* Running layouts checked by default (doc/reference/014-isolation-model-check.md). */
#if defined(__SANITIZE_ADDRESS__)
#define DEFAULT_LAYOUTS 25000u
#else
#define DEFAULT_LAYOUTS 100000u
#endif

struct prng {
    uint64_t state;
};

/* splitmix64: good enough mixing for test generation, and seedable with any value. */
static uint64_t next64(struct prng *r)
{
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint32_t below(struct prng *r, uint64_t n)
{
    return n == 0 ? 0 : (uint32_t)((next64(r) >> 32) * n >> 32);
}

static bool chance(struct prng *r, uint32_t percent)
{
    return below(r, 100) < percent;
}

/* The process as the kernel sees it, and what it may therefore touch. */
struct model {
    bool flash;
    uint32_t flash_start, flash_size;
    uint64_t flash_end; /* end of the promise (2^32 when it reaches the top) */
    bool ram;
    uint32_t mem_start, mem_size, granule, app_brk, kernel_brk, initial;
    uint32_t shares;
    uint32_t share_addr[MAX_SHARES], share_len[MAX_SHARES];
};

enum op_kind { OP_FLASH, OP_RAM, OP_START, OP_BRK, OP_GRANT, OP_ADD, OP_REMOVE, OP_BAD_BRK };

static const char *const op_names[] = {
    "set_flash(start, size)", "allocate_ram(free_start, free_end, fixed, min|initial<<32)",
    "start: remove_shared(all); update_app_brk(brk, kbrk)", "update_app_brk(brk, kbrk)",
    "grant: update_app_brk(brk, new kbrk)", "add_shared(addr, len)", "remove_shared(start, end)",
    "bad update_app_brk(brk, kbrk)",
};

struct op {
    enum op_kind kind;
    uint64_t a, b, c, d;
    err_t result;
};

struct run {
    const struct isolation_arch *arch;
    struct isolation_stats *stats;
    uint64_t seed;
    struct prng rng;
    struct arch_mpu mpu;
    struct arch_mpu last_checked; /* mpu at the previous check (valid when has_last) */
    bool has_last;
    struct model m;
    struct op ops[MAX_OPS];
    uint32_t op_count;
    bool failed;
};

/* Iteration count from ISOLATION_LAYOUTS, else the default; seed from ISOLATION_SEED, else 1. */
static uint32_t isolation_layouts(void)
{
    const char *s = getenv("ISOLATION_LAYOUTS");
    return s != NULL ? (uint32_t)strtoul(s, NULL, 0) : DEFAULT_LAYOUTS;
}

static uint64_t isolation_seed(void)
{
    const char *s = getenv("ISOLATION_SEED");
    return s != NULL ? strtoull(s, NULL, 0) : 1u;
}

static uint64_t accessible_end(const struct model *m)
{
    uint64_t used = m->app_brk - m->mem_start;
    return m->mem_start + (used + m->granule - 1u) / m->granule * m->granule;
}

static bool in_share(const struct model *m, uint32_t a)
{
    for (uint32_t i = 0; i < m->shares; i++) {
        if (a >= m->share_addr[i] && a - m->share_addr[i] < m->share_len[i]) {
            return true;
        }
    }
    return false;
}

static bool in_block(const struct model *m, uint32_t a)
{
    return m->ram && a >= m->mem_start && a - m->mem_start < m->mem_size;
}

/* What the process may touch at a: its flash promise R+X, its RAM up to the app break rounded
 * up to the granule R+W, shared buffers R+W, nothing else (not the grant region, not the owned
 * slack between the rounded break and the kernel break, not other memory). */
static uint32_t model_access(const struct model *m, uint32_t a)
{
    uint32_t allowed = 0;
    if (m->flash && a >= m->flash_start && a < m->flash_end) {
        allowed |= ACCESS_RX;
    }
    if (m->ram && a >= m->mem_start && a < accessible_end(m)) {
        allowed |= ACCESS_RW;
    }
    if (in_share(m, a)) {
        allowed |= ACCESS_RW;
    }
    return allowed;
}

static void print_access(uint32_t access)
{
    printf("%c%c%c", (access & ACCESS_R) != 0 ? 'r' : '-', (access & ACCESS_W) != 0 ? 'w' : '-',
           (access & ACCESS_X) != 0 ? 'x' : '-');
}

static void fail(struct run *r, const char *what, uint64_t addr, uint32_t got, uint32_t want)
{
    if (r->failed) {
        return;
    }
    r->failed = true;
    const struct model *m = &r->m;
    printf("ISOLATION COUNTEREXAMPLE (%s), seed %" PRIu64 " (ISOLATION_SEED=%" PRIu64
           " ISOLATION_LAYOUTS=1 reproduces it alone)\n  %s",
           r->arch->name, r->seed, r->seed, what);
    if (addr != UINT64_MAX) {
        printf(" at 0x%08" PRIx64 ": registers allow ", addr);
        print_access(got);
        printf(", model allows ");
        print_access(want);
    }
    printf("\n  operations:\n");
    for (uint32_t i = 0; i < r->op_count; i++) {
        const struct op *o = &r->ops[i];
        printf("    %-60s 0x%08" PRIx64 " 0x%08" PRIx64 " 0x%08" PRIx64 " 0x%08" PRIx64
               " -> %d\n",
               op_names[o->kind], o->a, o->b, o->c, o->d, (int)o->result);
    }
    printf("  model: flash [0x%08x, 0x%08" PRIx64 ") of TBF size 0x%x; RAM block [0x%08x, +0x%x) granule "
           "0x%x app_brk 0x%08x kernel_brk 0x%08x\n",
           m->flash_start, m->flash_end, m->flash_size, m->mem_start, m->mem_size, m->granule,
           m->app_brk, m->kernel_brk);
    for (uint32_t i = 0; i < m->shares; i++) {
        printf("  model: shared [0x%08x, +0x%x)\n", m->share_addr[i], m->share_len[i]);
    }
    r->arch->dump();
}

static void compare_at(struct run *r, uint64_t point)
{
    if (point >= ADDRESS_SPACE) {
        return;
    }
    uint32_t a = (uint32_t)point;
    r->stats->addresses++;
    uint32_t got = r->arch->access(a, false);
    uint32_t want = model_access(&r->m, a);
    if ((got & ~want) != 0) {
        fail(r, "OVER-GRANT", a, got, want);
    } else if ((want & ~got) != 0) {
        fail(r, "UNDER-GRANT", a, got, want);
    }
    /* The kernel itself must keep reaching process memory (it writes grants and shares). */
    if (in_block(&r->m, a) || in_share(&r->m, a)) {
        uint32_t priv = r->arch->access(a, true);
        if ((ACCESS_RW & ~priv) != 0) {
            fail(r, "kernel access lost", a, priv, ACCESS_RW);
        }
    }
}

struct points {
    uint64_t at[MAX_POINTS];
    uint32_t n;
};

static void add_point(struct points *p, uint64_t at)
{
    if (p->n < MAX_POINTS) {
        p->at[p->n++] = at;
    }
}

/* A model edge, with the bytes and granules around it. */
static void add_model_edge(struct points *p, uint64_t at, uint32_t granule)
{
    add_point(p, at);
    add_point(p, at + 1u);
    add_point(p, at + granule);
    add_point(p, at >= granule ? at - granule : 0);
}

/* Same configuration: every field but the generation, which refused calls may move. */
static bool same_mpu(const struct arch_mpu *a, const struct arch_mpu *b)
{
    struct arch_mpu x = *a, y = *b;
    x.generation = 0;
    y.generation = 0;
    return memcmp(&x, &y, sizeof x) == 0;
}

/* Compare the decoder with the model at every address where either can change (and the byte
 * before it), the bytes and granules around model edges, and random addresses. Both sides are
 * constant between consecutive edges, so this covers the whole address space. */
static void check(struct run *r)
{
    if (r->failed) {
        return;
    }
    r->stats->checks++;
    /* The kernel reloads the hardware only for a new generation (arch_mpu_configure): a
     * configuration that changed under the same generation would never reach the MPU/PMP. */
    if (r->has_last && r->last_checked.generation == r->mpu.generation &&
        !same_mpu(&r->last_checked, &r->mpu)) {
        fail(r, "configuration changed without a new generation", UINT64_MAX, 0, 0);
        return;
    }
    r->last_checked = r->mpu;
    r->has_last = true;
    r->arch->load(&r->mpu);
    const char *why = r->arch->invalid();
    if (why != NULL) {
        fail(r, why, UINT64_MAX, 0, 0);
        return;
    }
    static struct points p;
    p.n = r->arch->edges(p.at, MAX_POINTS / 2u);
    const struct model *m = &r->m;
    uint32_t g = m->ram ? m->granule : 4u;
    if (m->flash) {
        add_model_edge(&p, m->flash_start, g);
        add_model_edge(&p, m->flash_end, g);
        add_model_edge(&p, (uint64_t)m->flash_start + m->flash_size, g);
    }
    if (m->ram) {
        add_model_edge(&p, m->mem_start, g);
        add_model_edge(&p, m->app_brk, g);
        add_model_edge(&p, accessible_end(m), g);
        add_model_edge(&p, m->kernel_brk, g);
        add_model_edge(&p, (uint64_t)m->mem_start + m->mem_size, g);
        add_point(&p, m->mem_start + below(&r->rng, m->mem_size));
    }
    for (uint32_t i = 0; i < m->shares; i++) {
        add_model_edge(&p, m->share_addr[i], g);
        add_model_edge(&p, (uint64_t)m->share_addr[i] + m->share_len[i], g);
    }
    add_point(&p, below(&r->rng, ADDRESS_SPACE));
    add_point(&p, below(&r->rng, ADDRESS_SPACE));
    for (uint32_t i = 0; i < p.n && !r->failed; i++) {
        compare_at(r, p.at[i]);
        if (p.at[i] > 0) {
            compare_at(r, p.at[i] - 1u);
        }
    }
}

static struct op *log_op(struct run *r, enum op_kind kind, uint64_t a, uint64_t b, uint64_t c,
                         uint64_t d)
{
    r->stats->operations++;
    struct op *o = &r->ops[r->op_count < MAX_OPS ? r->op_count++ : MAX_OPS - 1u];
    *o = (struct op){ .kind = kind, .a = a, .b = b, .c = c, .d = d, .result = ERR_OK };
    return o;
}

/* ---- generation ---- */

static uint32_t window_address(struct run *r, const uint32_t window[2])
{
    uint32_t pick = below(&r->rng, 100);
    if (pick < 2) {
        return UINT32_MAX - below(&r->rng, 64); /* the last bytes of the address space */
    }
    if (pick < 10) {
        return (uint32_t)(next64(&r->rng) >> 32); /* anywhere */
    }
    return window[0] + below(&r->rng, (uint64_t)window[1] - window[0]);
}

static uint32_t align_down(struct run *r, uint32_t a)
{
    uint32_t k = chance(&r->rng, 10) ? below(&r->rng, 2) : 2u + below(&r->rng, 20);
    return a & ~((1u << k) - 1u);
}

static uint32_t flash_size(struct run *r)
{
    switch (below(&r->rng, 4)) {
    case 0:
        return 1u << (5u + below(&r->rng, 16));
    case 1:
        return (1u << (2u + below(&r->rng, 18))) * (1u + below(&r->rng, 8));
    case 2:
        return 4u * (1u + below(&r->rng, 16384));
    default:
        return below(&r->rng, 70000);
    }
}

/* A TBF placement: mostly runs of aligned units (what linkers and tockloader produce), some
 * arbitrary. */
static void flash_placement(struct run *r, uint32_t *start, uint32_t *size)
{
    uint32_t at = window_address(r, r->arch->flash_window);
    uint32_t pick = below(&r->rng, 100);
    if (pick < 45) {
        uint32_t unit = 1u << (2u + below(&r->rng, 16));
        *size = unit * (1u + below(&r->rng, 8));
        *start = at / unit * unit;
    } else if (pick < 65) {
        *size = 1u << (2u + below(&r->rng, 20));
        *start = at / *size * *size;
    } else {
        *size = flash_size(r);
        *start = align_down(r, at);
    }
}

static uint32_t ram_size(struct run *r)
{
    if (chance(&r->rng, 3)) {
        return (uint32_t)(next64(&r->rng) >> 32);
    }
    return (1u << below(&r->rng, 17)) + (chance(&r->rng, 50) ? below(&r->rng, 4096) : 0u);
}

/* ---- operations, each as the kernel makes it ---- */

static void set_flash(struct run *r)
{
    uint32_t start, size;
    flash_placement(r, &start, &size);
    struct op *o = log_op(r, OP_FLASH, start, size, 0, 0);
    o->result = arch_mpu_set_flash(&r->mpu, start, size);
    bool representable = r->arch->flash_representable(start, size);
    if (o->result != ERR_OK) {
        r->stats->refusals[REFUSED_FLASH]++;
        r->stats->unnecessary_flash_refusals += representable ? 1u : 0u;
        return;
    }
    if ((uint64_t)start + size > ADDRESS_SPACE) {
        fail(r, "accepted a TBF past the end of the address space", UINT64_MAX, 0, 0);
        return;
    }
    r->m.flash = true;
    r->m.flash_start = start;
    r->m.flash_size = size;
    r->m.flash_end = r->arch->flash_promised_end(start, size);
    check(r);
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

static void allocate_ram(struct run *r)
{
    uint32_t initial = arch_initial_app_brk_size();
    uint32_t min_size = ram_size(r);
    min_size = min_size < initial ? initial : min_size;
    if (chance(&r->rng, 3)) {
        /* Not what the kernel asks: the block must still hold it, or the call be refused. */
        initial = below(&r->rng, 2ull * min_size + 64u);
    }
    /* App RAM and app flash are disjoint on every board. */
    uint32_t free_start = 0;
    uint64_t pool = 0, free_end = 0;
    for (uint32_t tries = 0; tries == 0 || overlaps(free_start, pool, r->m.flash_start,
                                                    r->m.flash_size);
         tries++) {
        if (tries == 8) {
            return;
        }
        free_start = align_down(r, window_address(r, r->arch->ram_window));
        pool = chance(&r->rng, 10) ? below(&r->rng, 0x1000) : 0x100ull << below(&r->rng, 14);
        free_end = (uint64_t)free_start + pool;
        free_end = free_end > UINT32_MAX ? UINT32_MAX : free_end;
        pool = free_end - free_start;
    }
    uint32_t fixed = 0;
    if (chance(&r->rng, 10)) {
        fixed = align_down(r, free_start + below(&r->rng, pool));
        fixed = fixed < free_start ? free_start : fixed;
        free_start = fixed; /* process_loader.c starts the pool at the fixed address */
    }
    struct arch_ram_request req = { .free_start = free_start, .free_end = (uintptr_t)free_end,
                                    .fixed_start = fixed, .min_size = min_size,
                                    .initial_app_size = initial };
    struct op *o = log_op(r, OP_RAM, free_start, free_end, fixed,
                          min_size | (uint64_t)initial << 32);
    uintptr_t mem_start = 0;
    uint32_t mem_size = 0;
    o->result = arch_mpu_allocate_ram(&r->mpu, &req, &mem_start, &mem_size);
    if (o->result != ERR_OK) {
        r->stats->refusals[REFUSED_RAM]++;
        return;
    }
    uint64_t end = (uint64_t)mem_start + mem_size;
    r->m.mem_start = (uint32_t)mem_start;
    r->m.mem_size = mem_size;
    if (mem_start < free_start || end > free_end || mem_size < min_size || mem_size < initial ||
        (fixed != 0 && mem_start != fixed)) {
        fail(r, "RAM block outside the pool, too small, or not at the fixed start", UINT64_MAX,
             0, 0);
        return;
    }
    uint32_t granule = r->arch->ram_granule((uint32_t)mem_start, mem_size);
    if (granule == 0) {
        fail(r, "RAM block of a shape the arch does not document", UINT64_MAX, 0, 0);
        return;
    }
    r->m.ram = true;
    r->m.mem_start = (uint32_t)mem_start;
    r->m.mem_size = mem_size;
    r->m.granule = granule;
    r->m.initial = initial;
    r->m.app_brk = (uint32_t)mem_start + initial;
    r->m.kernel_brk = (uint32_t)end;
    check(r);
}

/* update_app_brk as process_set_brk / grant allocation make it, against the model's rounding. */
static err_t move_breaks(struct run *r, struct op *o, uint32_t app_brk, uint32_t kernel_brk)
{
    struct arch_mpu before = r->mpu;
    o->result = arch_mpu_update_app_brk(&r->mpu, app_brk, kernel_brk);
    struct model next = r->m;
    next.app_brk = app_brk;
    bool fits = accessible_end(&next) <= kernel_brk;
    if (o->result == ERR_OK && !fits) {
        fail(r, "accepted a break whose rounding reaches the kernel break", UINT64_MAX, 0, 0);
    } else if (o->result != ERR_OK && fits) {
        fail(r, "refused a break the hardware can represent", UINT64_MAX, 0, 0);
    } else if (o->result != ERR_OK && !same_mpu(&before, &r->mpu)) {
        fail(r, "a refused break changed the configuration", UINT64_MAX, 0, 0);
    }
    return o->result;
}

/* process_set_brk; true when the break moved. */
static bool set_brk(struct run *r, enum op_kind kind, uint32_t new_brk)
{
    struct model *m = &r->m;
    /* process_set_brk's own checks come first. */
    if (new_brk < m->mem_start || new_brk > m->kernel_brk ||
        (uint64_t)new_brk >= (uint64_t)m->mem_start + m->mem_size) {
        return false;
    }
    struct op *o = log_op(r, kind, new_brk, m->kernel_brk, 0, 0);
    if (move_breaks(r, o, new_brk, m->kernel_brk) != ERR_OK) {
        r->stats->refusals[REFUSED_BRK]++;
        return false;
    }
    m->app_brk = new_brk;
    return true;
}

static void remove_shared(struct run *r, uint64_t start, uint64_t end)
{
    log_op(r, OP_REMOVE, start, end, 0, 0);
    arch_mpu_remove_shared(&r->mpu, (uintptr_t)start, (uintptr_t)end);
    struct model *m = &r->m;
    uint32_t kept = 0;
    for (uint32_t i = 0; i < m->shares; i++) {
        if (m->share_addr[i] < start || m->share_addr[i] >= end) {
            m->share_addr[kept] = m->share_addr[i];
            m->share_len[kept++] = m->share_len[i];
        }
    }
    m->shares = kept;
}

/* process.c start_instance: fresh breaks, no shared buffers, the initial break. */
static bool start(struct run *r)
{
    struct model *m = &r->m;
    m->kernel_brk = m->mem_start + m->mem_size;
    remove_shared(r, 0, UINTPTR_MAX);
    return set_brk(r, OP_START, m->mem_start + arch_initial_app_brk_size());
}

static void random_brk(struct run *r)
{
    struct model *m = &r->m;
    uint32_t g = m->granule;
    uint32_t target;
    switch (below(&r->rng, 4)) {
    case 0: /* around a granule edge of the block */
        target = m->mem_start + below(&r->rng, m->mem_size / g + 1u) * g - 1u + below(&r->rng, 3);
        break;
    case 1:
        target = m->mem_start + below(&r->rng, (uint64_t)m->kernel_brk - m->mem_start + 1u);
        break;
    case 2: /* just under the kernel break */
        target = m->kernel_brk - below(&r->rng, 2u * g + 1u);
        break;
    default: /* a small move up or down */
        target = m->app_brk + below(&r->rng, 2u * g + 1u) - g;
        break;
    }
    set_brk(r, OP_BRK, target);
}

/* grant.c allocate: the instance goes below the kernel break, 8-aligned. */
static void grant(struct run *r)
{
    struct model *m = &r->m;
    uint32_t size = 8u + below(&r->rng, m->mem_size / 3u + 1u);
    size = (size + 7u) & ~7u;
    if (size > m->kernel_brk - m->app_brk) {
        return;
    }
    uint32_t new_kbrk = (m->kernel_brk - size) & ~7u;
    if (new_kbrk < m->app_brk) {
        return;
    }
    struct op *o = log_op(r, OP_GRANT, m->app_brk, new_kbrk, 0, 0);
    if (move_breaks(r, o, m->app_brk, new_kbrk) != ERR_OK) {
        r->stats->refusals[REFUSED_GRANT]++;
        return;
    }
    m->kernel_brk = new_kbrk;
}

/* ipc.c map_shared: another process's buffer, never this process's own memory. */
static void add_shared(struct run *r)
{
    struct model *m = &r->m;
    uint32_t addr = 0, len = 0;
    bool found = false;
    for (uint32_t tries = 0; tries < 8 && !found; tries++) {
        if (m->shares > 0 && chance(&r->rng, 15)) {
            uint32_t i = below(&r->rng, m->shares); /* the same buffer again */
            addr = m->share_addr[i];
            len = m->share_len[i];
        } else if (chance(&r->rng, 70)) {
            len = 1u << (2u + below(&r->rng, 14));
            addr = window_address(r, r->arch->ram_window) & ~(len - 1u);
        } else {
            len = 1u + below(&r->rng, 4096);
            addr = align_down(r, window_address(r, r->arch->ram_window));
        }
        found = len != 0 && (uint64_t)addr + len <= ADDRESS_SPACE &&
                !overlaps(addr, len, m->flash_start, m->flash_size) &&
                !overlaps(addr, len, m->mem_start, m->mem_size);
    }
    if (!found) {
        return;
    }
    struct op *o = log_op(r, OP_ADD, addr, len, 0, 0);
    struct arch_mpu before = r->mpu;
    o->result = arch_mpu_add_shared(&r->mpu, addr, len);
    bool representable = r->arch->share_representable(addr, len);
    if (arch_mpu_can_share(addr, len) != representable) {
        fail(r, "arch_mpu_can_share disagrees with the hardware's representable ranges",
             UINT64_MAX, 0, 0);
        return;
    }
    bool present = false;
    for (uint32_t i = 0; i < m->shares; i++) {
        present = present || (m->share_addr[i] == addr && m->share_len[i] == len);
    }
    err_t want = !representable                                   ? ERR_INVAL
                 : present                                        ? ERR_OK
                 : m->shares >= r->arch->share_capacity ? ERR_NOMEM
                                                                  : ERR_OK;
    if (o->result != want) {
        fail(r, "add_shared answered other than the model", UINT64_MAX, 0, 0);
        return;
    }
    if (o->result != ERR_OK || present) {
        r->stats->refusals[REFUSED_SHARE_INVAL] += o->result == ERR_INVAL ? 1u : 0u;
        r->stats->refusals[REFUSED_SHARE_FULL] += o->result == ERR_NOMEM ? 1u : 0u;
        if (!same_mpu(&before, &r->mpu)) {
            fail(r, "a refused or repeated share changed the configuration", UINT64_MAX, 0, 0);
        }
        return;
    }
    m->share_addr[m->shares] = addr;
    m->share_len[m->shares++] = len;
}

static void random_remove(struct run *r)
{
    struct model *m = &r->m;
    if (m->shares > 0 && chance(&r->rng, 50)) {
        /* ipc.c on_rw_allow_withdrawn: exactly the old buffer */
        uint32_t i = below(&r->rng, m->shares);
        remove_shared(r, m->share_addr[i], (uint64_t)m->share_addr[i] + m->share_len[i]);
        return;
    }
    /* ipc.c on_exit: a dead process's whole block */
    uint32_t a = window_address(r, r->arch->ram_window);
    remove_shared(r, a, (uint64_t)a + below(&r->rng, 0x10000));
}

/* Calls the kernel never makes; the arch must refuse them and change nothing. */
static void bad_brk(struct run *r)
{
    struct model *m = &r->m;
    uint64_t end = (uint64_t)m->mem_start + m->mem_size;
    uint64_t app, kernel;
    switch (below(&r->rng, 3)) {
    case 0: /* below the block */
        if (m->mem_start == 0) {
            return;
        }
        app = m->mem_start - 1u - below(&r->rng, m->granule);
        kernel = m->kernel_brk;
        break;
    case 1: /* above the kernel break */
        app = (uint64_t)m->kernel_brk + 1u + below(&r->rng, m->granule);
        kernel = m->kernel_brk;
        break;
    default: /* a kernel break past the block */
        kernel = end + 1u + below(&r->rng, 4u * m->granule);
        app = end - m->granule + below(&r->rng, 3u * m->granule);
        break;
    }
    if (app > UINT32_MAX || kernel > UINT32_MAX) {
        return;
    }
    struct op *o = log_op(r, OP_BAD_BRK, app, kernel, 0, 0);
    struct arch_mpu before = r->mpu;
    o->result = arch_mpu_update_app_brk(&r->mpu, (uintptr_t)app, (uintptr_t)kernel);
    if (o->result == ERR_OK) {
        fail(r, "accepted an app break outside [mem_start, kernel_brk] or a kernel break "
                "outside the block",
             UINT64_MAX, 0, 0);
    } else if (!same_mpu(&before, &r->mpu)) {
        fail(r, "a refused break changed the configuration", UINT64_MAX, 0, 0);
    }
    r->stats->refusals[REFUSED_BAD_CALL]++;
}

static void one_layout(struct run *r)
{
    set_flash(r);
    if (!r->m.flash || r->failed) {
        return;
    }
    allocate_ram(r);
    if (!r->m.ram || r->failed || !start(r)) {
        return;
    }
    check(r);
    r->stats->running++;
    uint32_t steps = 3u + below(&r->rng, 12);
    for (uint32_t i = 0; i < steps && !r->failed; i++) {
        uint32_t pick = below(&r->rng, 100);
        if (pick < 30) {
            random_brk(r);
        } else if (pick < 50) {
            grant(r);
        } else if (pick < 78) {
            add_shared(r);
        } else if (pick < 90) {
            random_remove(r);
        } else if (pick < 95) {
            bad_brk(r);
        } else if (!start(r)) { /* restart */
            break;
        }
        check(r);
    }
}

bool isolation_run(const struct isolation_arch *arch, uint64_t seed, uint32_t count,
                   struct isolation_stats *stats)
{
    static struct run r;
    /* `count` running layouts; refused ones come on top (bounded, in case all are refused). */
    for (uint64_t i = 0; stats->running < count && i < 50ull * count; i++) {
        r = (struct run){ .arch = arch, .stats = stats, .seed = seed + i };
        r.rng.state = seed + i;
        stats->layouts++;
        one_layout(&r);
        if (r.failed) {
            return false;
        }
    }
    return true;
}

static void isolation_print_stats(const struct isolation_arch *arch,
                                  const struct isolation_stats *s, double seconds)
{
    printf("isolation %s: %" PRIu64 " layouts (%" PRIu64 " running), %" PRIu64
           " arch calls, %" PRIu64 " configurations and %" PRIu64
           " addresses compared in %.2f s\n",
           arch->name, s->layouts, s->running, s->operations, s->checks, s->addresses, seconds);
    printf("isolation %s refusals: flash %" PRIu64 " (unnecessary %" PRIu64 "), RAM %" PRIu64
           ", brk %" PRIu64 ", grant %" PRIu64 ", share invalid %" PRIu64 ", share full %" PRIu64
           ", bad calls %" PRIu64 "\n",
           arch->name, s->refusals[REFUSED_FLASH], s->unnecessary_flash_refusals,
           s->refusals[REFUSED_RAM], s->refusals[REFUSED_BRK], s->refusals[REFUSED_GRANT],
           s->refusals[REFUSED_SHARE_INVAL], s->refusals[REFUSED_SHARE_FULL],
           s->refusals[REFUSED_BAD_CALL]);
}

bool isolation_check_arch(const struct isolation_arch *arch)
{
    struct isolation_stats stats = { 0 };
    uint32_t count = isolation_layouts();
    clock_t t0 = clock();
    bool ok = isolation_run(arch, isolation_seed(), count, &stats);
    isolation_print_stats(arch, &stats, (double)(clock() - t0) / CLOCKS_PER_SEC);
    if (ok && stats.running < count) {
        printf("isolation %s: only %" PRIu64 " of %u layouts ran\n", arch->name, stats.running,
               (unsigned)count);
        return false;
    }
    return ok;
}
