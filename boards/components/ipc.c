/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Shared IPC wiring (see components/ipc.h).
 */
#include "components/ipc.h"

#include "components/core.h"

void ipc_component_setup(struct ipc_component *c, struct kernel *k, struct mux_alarm *alarm_mux,
                         uint32_t share_max_mapped)
{
    boot_check(ipc_init(&c->compat, k), "ipc");
    boot_check(ipc_name_init(&c->name, k, ipc_name_allow_all), "ipc name");
    virtual_alarm_init(&c->msg_alarm, alarm_mux);
    boot_check(ipc_msg_init(&c->msg, k, &c->name, &c->msg_alarm.alarm), "ipc msg");
    boot_check(ipc_share_init(&c->share, k, &c->name, share_max_mapped), "ipc share");
    boot_check(ipc_queue_init(&c->queue, k, &c->name, &c->msg), "ipc queue");
}
