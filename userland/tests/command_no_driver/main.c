/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * command_no_driver: issue a command to a driver number nobody implements.
 *
 * Expected output:
 *   command_no_driver: command 0 to driver 0x12345
 *   command_no_driver: NODEVICE
 * then exit 0.
 *
 * Usage: load with heartbeat.
 *
 * Invariants: none.
 */
#include <stdint.h>
#include <stdio.h>

#include "../common/test_report.h"

enum { MISSING_DRIVER = 0x12345 };

int main(void)
{
    printf("command_no_driver: command 0 to driver 0x%x\n", (unsigned)MISSING_DRIVER);
    test_report_outcome("command_no_driver", tock_syscall_command(MISSING_DRIVER, 0, 0, 0));
    return 0;
}
