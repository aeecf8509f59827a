/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Tock-compatible IPC (driver 0x10000) with libtock-c's API: discover a service by package name,
 * register service and client callbacks, share a buffer, notify.
 *
 * Usage (client): ipc_discover("org.tockos.rot13", &svc); ipc_register_client_callback(svc, cb,
 *        NULL); ipc_share(svc, buf, 64); ipc_notify_service(svc);
 * Callbacks get (notifier index, shared length, shared address, userdata).
 *
 * Invariants: a shared buffer must be one the kernel can map into the peer (on Cortex-M a power
 * of two of at least 32 bytes aligned to its size); otherwise ipc_share fails with
 * RETURNCODE_EINVAL.
 */
#pragma once

#include <stddef.h>

#include "../tock.h"

#define IPC_DRIVER_NUM 0x10000

/* Index of the process named pkg_name in *svc_id; RETURNCODE_SUCCESS or a negative error. */
int ipc_discover(const char *pkg_name, size_t *svc_id);
/* Become the service named pkg_name (this process's own name): callback on client notifies. */
int ipc_register_service_callback(const char *pkg_name, subscribe_upcall callback, void *ud);
/* Callback for notifications from service svc_id. */
int ipc_register_client_callback(size_t svc_id, subscribe_upcall callback, void *ud);
int ipc_notify_client(size_t pid);
int ipc_notify_service(size_t pid);
/* Share base[0..len) with process pid (both directions of the pair use it). */
int ipc_share(size_t pid, void *base, int len);
