/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * restart_loop: restart itself immediately, forever; the kernel's restart policy must cap it
 * without starving other processes.
 *
 * Expected output: "restart_loop run" once per run, for as many runs as the kernel allows.
 *
 * Usage: load with heartbeat.
 *
 * Invariants: none.
 */
#include <stdio.h>

#include <libtock/tock.h>

int main(void)
{
    printf("restart_loop run\n");
    tock_restart(0);
}
