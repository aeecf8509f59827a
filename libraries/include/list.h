/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * An intrusive singly linked list with a round-robin cursor, for the static objects a board
 * wires together (the virtual devices of a mux, the kernel's hooks, a mutex's waiters): nodes are
 * embedded in their objects, so nothing is allocated. A node is in at most one list at a time. A
 * zeroed struct list is an empty one.
 *
 * The cursor is where round robin resumes: list_round_robin() looks from the node after it
 * (the head when there is none, or after the last node), and whoever serves the node it found
 * moves the cursor there, so a client served now goes behind every other waiting one.
 *
 * Usage: struct list devices; list_init(&devices); list_append(&devices, &v->node);
 *        for (struct list_node *n = devices.head; n != NULL; n = n->next) { CONTAINER_OF(...) }
 *        struct list_node *n = list_round_robin(&devices, is_queued, NULL);
 *        if (n != NULL) { list_set_cursor(&devices, n); serve(CONTAINER_OF(n, ...)); }
 *        FIFO: list_append to queue, list_pop_front to serve, list_remove to cancel (O(length)),
 *        list_remove_after from a walk that keeps the previous node (O(1)).
 *
 * Invariants: head is NULL iff tail is NULL; tail->next is NULL; the cursor is NULL or a node
 * of the list. Kernel loop only (no locking).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct list_node {
    struct list_node *next;
};

struct list {
    struct list_node *head;
    struct list_node *tail;
    struct list_node *cursor; /* the node served last, or NULL */
};

static inline void list_init(struct list *list)
{
    *list = (struct list){ .head = NULL, .tail = NULL, .cursor = NULL };
}

/* Append node (not in any list) at the end. Always inlined: a few stores, called at boot by
 * every virtual device (an out-of-line copy per caller's unit cost more). */
static inline __attribute__((always_inline)) void list_append(struct list *list,
                                                              struct list_node *node)
{
    node->next = NULL;
    if (list->tail == NULL) {
        list->head = node;
    } else {
        list->tail->next = node;
    }
    list->tail = node;
}

/* Add node (not in any list) at the front: lists run newest first. */
static inline void list_prepend(struct list *list, struct list_node *node)
{
    node->next = list->head;
    list->head = node;
    if (list->tail == NULL) {
        list->tail = node;
    }
}

/* The first node after the cursor, wrapping round, for which wanted(node, ctx) is true, or
 * NULL. Asks each node at most once; does not move the cursor. */
static inline struct list_node *list_round_robin(const struct list *list,
                                                 bool (*wanted)(const struct list_node *node,
                                                                void *ctx),
                                                 void *ctx)
{
    struct list_node *n = list->cursor;
    for (struct list_node *i = list->head; i != NULL; i = i->next) {
        n = (n != NULL && n->next != NULL) ? n->next : list->head;
        if (wanted(n, ctx)) {
            return n;
        }
    }
    return NULL;
}

/* node (a node of the list) was served: round robin resumes after it. */
static inline void list_set_cursor(struct list *list, struct list_node *node)
{
    list->cursor = node;
}

static inline bool list_is_empty(const struct list *list)
{
    return list->head == NULL;
}

/* Unlink and return the first node, or NULL when the list is empty. */
static inline struct list_node *list_pop_front(struct list *list)
{
    struct list_node *node = list->head;
    if (node == NULL) {
        return NULL;
    }
    list->head = node->next;
    if (list->head == NULL) {
        list->tail = NULL;
    }
    if (list->cursor == node) {
        list->cursor = NULL; /* round robin resumes at the new head, the node after it */
    }
    node->next = NULL;
    return node;
}

/* Unlink node, whose predecessor in the list is `previous` (NULL: node is the head), in O(1),
 * for a walk that removes as it goes. A cursor on node moves to its predecessor, so round
 * robin still resumes at the node that followed it. */
static inline void list_remove_after(struct list *list, struct list_node *previous,
                                     struct list_node *node)
{
    if (previous == NULL) {
        list->head = node->next;
    } else {
        previous->next = node->next;
    }
    if (list->tail == node) {
        list->tail = previous;
    }
    if (list->cursor == node) {
        list->cursor = previous;
    }
    node->next = NULL;
}

/* Unlink node, which must be in the list (O(length)); the cursor as list_remove_after. */
static inline void list_remove(struct list *list, struct list_node *node)
{
    struct list_node *previous = NULL;
    for (struct list_node *n = list->head; n != node; n = n->next) {
        previous = n;
    }
    list_remove_after(list, previous, node);
}
