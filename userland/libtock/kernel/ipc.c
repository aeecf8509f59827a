/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Tock-compatible IPC (see ipc.h). Commands: 1 discover, 2 notify service, 3 notify client;
 * RO allow 0 = name to look up; subscribe k / RW allow k = the peer in slot k.
 */
#include "ipc.h"

#include <string.h>

enum { IPC_CMD_DISCOVER = 1, IPC_CMD_NOTIFY_SERVICE = 2, IPC_CMD_NOTIFY_CLIENT = 3 };

int ipc_discover(const char *pkg_name, size_t *svc_id)
{
    allow_ro_return_t allowed = allow_readonly(IPC_DRIVER_NUM, 0, pkg_name, strlen(pkg_name));
    returncode_t ret = tock_allow_ro_return_to_returncode(allowed);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    uint32_t index = 0;
    ret = tock_command_return_u32_to_returncode(command(IPC_DRIVER_NUM, IPC_CMD_DISCOVER, 0, 0),
                                                &index);
    allowed = allow_readonly(IPC_DRIVER_NUM, 0, NULL, 0);
    (void)allowed;
    if (ret == RETURNCODE_SUCCESS) {
        *svc_id = index;
    }
    return ret;
}

int ipc_register_service_callback(const char *pkg_name, subscribe_upcall callback, void *ud)
{
    size_t self = 0;
    int ret = ipc_discover(pkg_name, &self);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    return tock_subscribe_return_to_returncode(subscribe(IPC_DRIVER_NUM, self, callback, ud));
}

int ipc_register_client_callback(size_t svc_id, subscribe_upcall callback, void *ud)
{
    return tock_subscribe_return_to_returncode(subscribe(IPC_DRIVER_NUM, svc_id, callback, ud));
}

int ipc_notify_client(size_t pid)
{
    return tock_command_return_novalue_to_returncode(
        command(IPC_DRIVER_NUM, IPC_CMD_NOTIFY_CLIENT, (int)pid, 0));
}

int ipc_notify_service(size_t pid)
{
    return tock_command_return_novalue_to_returncode(
        command(IPC_DRIVER_NUM, IPC_CMD_NOTIFY_SERVICE, (int)pid, 0));
}

int ipc_share(size_t pid, void *base, int len)
{
    return tock_allow_rw_return_to_returncode(
        allow_readwrite(IPC_DRIVER_NUM, pid, base, (size_t)len));
}
