/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * tockc's message queues (driver 0xA8004, record 029): a bounded queue of fixed-size messages
 * owned by one process, named through the IPC name registry (ipc_msg.h), written by the
 * processes the owner allows, read only by the owner.
 *
 * Every function that waits is a command plus yield_wait_for(): no callback runs while it waits.
 * `wait` is IPC_QUEUE_NO_WAIT (fail at once when full / empty), IPC_QUEUE_FOREVER, or a timeout
 * in milliseconds.
 *
 * Usage (owner):
 *     ipc_queue_create(0, sizeof(struct sample), 4);  // endpoint 0, 4 messages
 *     ipc_queue_grant_send(0, true);                   // anyone with a descriptor may send
 *     ipc_name_register("samples", 0);
 *     struct sample s; uint32_t from;
 *     ipc_queue_receive(&s, sizeof s, IPC_QUEUE_FOREVER, &from, NULL);
 * Usage (sender):
 *     uint32_t q; ipc_name_lookup_wait("samples", &q);
 *     ipc_queue_send(q, &s, sizeof s, 100, &reason);  // wait up to 100 ms for room
 *
 * Return values: RETURNCODE_SUCCESS or a negative returncode_t: ENOMEM full (no wait), EBUSY
 * empty (no wait), ECANCEL with *reason IPC_TIMEOUT or IPC_CANCELLED, EUNINSTALLED with
 * *reason IPC_PEER_DEAD / IPC_PEER_RESTARTED (ipc_name_reopen) / IPC_NOT_SERVING, ENOSUPPORT no
 * send right, ESIZE a buffer shorter than the queue's messages, EALREADY a send already held
 * (or, after ipc_queue_send_start / ipc_queue_cancel, its event not yet collected with
 * ipc_queue_send_wait).
 *
 * Invariants: a message passed to ipc_queue_send_start must stay untouched until
 * ipc_queue_send_wait returns (the kernel copies it when room frees up).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../tock.h"

#ifdef __cplusplus
extern "C" {
#endif

#define IPC_QUEUE_DRIVER_NUM 0xA8004
#define IPC_QUEUE_NO_WAIT 0u
#define IPC_QUEUE_FOREVER 0xFFFFFFFFu

/* ---- owner ---- */

/* Create my queue on IPC_NAME endpoint 0 or 1: depth messages of msg_size bytes (ENOMEM when
 * depth * (msg_size rounded up to 4, + 4) exceeds the kernel's ring of 128 bytes). */
int ipc_queue_create(uint32_t endpoint, size_t msg_size, uint32_t depth);
/* Drop the queue and its messages; held sends fail with EUNINSTALLED / IPC_NOT_SERVING. */
int ipc_queue_destroy(void);
/* Let the process behind desc (or, with 0, anyone) send; on = false takes it back. */
int ipc_queue_grant_send(uint32_t desc, bool on);
/* Post these IPC_MSG notification bits to me on every message that enters the queue (0: off). */
int ipc_queue_notify(uint32_t bits);
/* Take the oldest message into buf; *badge (may be NULL) is its sender's badge. */
int ipc_queue_receive(void *buf, size_t buf_len, uint32_t wait, uint32_t *badge,
                      uint32_t *reason);

/* ---- sender ---- */

/* Send msg (at least the queue's message size). */
int ipc_queue_send(uint32_t desc, const void *msg, size_t msg_len, uint32_t wait,
                   uint32_t *reason);
/* The two halves of a waiting send: start it (*is_held true: the queue was full and the kernel
 * holds it), then, if held, wait for its end. */
int ipc_queue_send_start(uint32_t desc, const void *msg, size_t msg_len, uint32_t wait,
                         bool *is_held, uint32_t *reason);
int ipc_queue_send_wait(uint32_t *reason);
/* Withdraw the held send (its ipc_queue_send_wait returns ECANCEL / IPC_CANCELLED). */
int ipc_queue_cancel(void);

#ifdef __cplusplus
}
#endif
