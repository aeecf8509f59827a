/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * A first-fit heap with an address-ordered free list, grown with sbrk (memop 1).
 *
 * Every block starts with an 8-byte header holding its total size; payloads are 8-byte
 * aligned. malloc() takes the first free block that fits (splitting off the rest) and grows
 * the break only when none does; free() merges a block with its free neighbours.
 *
 * Usage: see <stdlib.h>.
 *
 * Invariants: `free_list` is sorted by address and no two blocks on it touch; every block
 * (free or used) lies in [heap_start, break) and its size is a multiple of 8, at least
 * MIN_BLOCK.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct block {
    size_t size;        /* whole block, header included */
    struct block *next; /* next free block; meaningless while the block is in use */
};

_Static_assert(sizeof(struct block) == 8, "payloads are 8-byte aligned after an 8-byte header");

enum { ALIGN = 8, HEADER = sizeof(struct block), MIN_BLOCK = 16 };

static struct block *free_list;

static struct block *block_at(uintptr_t address)
{
    return (struct block *)address;
}

static uintptr_t address_of(const struct block *b)
{
    return (uintptr_t)b;
}

static bool touches(const struct block *a, const struct block *b)
{
    return address_of(a) + a->size == address_of(b);
}

static struct block *grow_heap(size_t size)
{
    uintptr_t brk = (uintptr_t)sbrk(0);
    if (brk == UINTPTR_MAX) {
        return NULL;
    }
    size_t pad = (ALIGN - (brk % ALIGN)) % ALIGN;
    if (size > (size_t)INTPTR_MAX - pad || sbrk((intptr_t)(size + pad)) == (void *)UINTPTR_MAX) {
        return NULL;
    }
    struct block *b = block_at(brk + pad);
    b->size = size;
    b->next = NULL;
    return b;
}

void *malloc(size_t size)
{
    if (size > SIZE_MAX - HEADER - ALIGN) {
        return NULL;
    }
    size_t need = (size + HEADER + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (need < MIN_BLOCK) {
        need = MIN_BLOCK;
    }
    struct block **link = &free_list;
    for (struct block *b = free_list; b != NULL; link = &b->next, b = b->next) {
        if (b->size < need) {
            continue;
        }
        if (b->size - need >= MIN_BLOCK) {
            struct block *rest = block_at(address_of(b) + need);
            rest->size = b->size - need;
            rest->next = b->next;
            *link = rest;
            b->size = need;
        } else {
            *link = b->next;
        }
        return (void *)(address_of(b) + HEADER);
    }
    struct block *b = grow_heap(need);
    return b != NULL ? (void *)(address_of(b) + HEADER) : NULL;
}

void free(void *ptr)
{
    if (ptr == NULL) {
        return;
    }
    struct block *b = block_at((uintptr_t)ptr - HEADER);
    struct block *prev = NULL;
    struct block *next = free_list;
    while (next != NULL && address_of(next) < address_of(b)) {
        prev = next;
        next = next->next;
    }
    b->next = next;
    if (next != NULL && touches(b, next)) {
        b->size += next->size;
        b->next = next->next;
    }
    if (prev != NULL && touches(prev, b)) {
        prev->size += b->size;
        prev->next = b->next;
    } else if (prev != NULL) {
        prev->next = b;
    } else {
        free_list = b;
    }
}

void *calloc(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) {
        return NULL;
    }
    void *p = malloc(count * size);
    if (p != NULL) {
        memset(p, 0, count * size);
    }
    return p;
}

void *realloc(void *ptr, size_t size)
{
    if (ptr == NULL) {
        return malloc(size);
    }
    if (size == 0) {
        free(ptr);
        return NULL;
    }
    size_t have = block_at((uintptr_t)ptr - HEADER)->size - HEADER;
    if (size <= have) {
        return ptr;
    }
    void *bigger = malloc(size);
    if (bigger != NULL) {
        memcpy(bigger, ptr, have);
        free(ptr);
    }
    return bigger;
}
