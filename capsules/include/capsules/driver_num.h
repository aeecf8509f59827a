/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * The one registry of syscall driver numbers (Tock's numbers, ABI §5.0).
 */
#pragma once

#define ALARM_DRIVER_NUM 0x00000u
#define CONSOLE_DRIVER_NUM 0x00001u
#define LED_DRIVER_NUM 0x00002u
#define BUTTON_DRIVER_NUM 0x00003u
#define GPIO_DRIVER_NUM 0x00004u
#define LOW_LEVEL_DEBUG_DRIVER_NUM 0x00008u
#define READ_ONLY_STATE_DRIVER_NUM 0x00009u
#define IPC_DRIVER_NUM 0x10000u /* kernel/ipc/ipc.c: KERNEL_IPC_DRIVER_NUM */
#define APP_LOADER_DRIVER_NUM 0x10001u /* capsules/app_loader.h: Tock's AppLoader */
#define PROCESS_INFO_DRIVER_NUM 0x10002u
#define RNG_DRIVER_NUM 0x40001u
#define HMAC_DRIVER_NUM 0x40003u
#define SHA_DRIVER_NUM 0x40005u
#define AES_DRIVER_NUM 0x40006u
#define APP_FLASH_DRIVER_NUM 0x50000u
#define NVM_STORAGE_DRIVER_NUM 0x50001u
#define KV_DRIVER_NUM 0x50003u
#define ISOLATED_NVM_STORAGE_DRIVER_NUM 0x50004u
#define IPC_NAME_DRIVER_NUM 0xA8000u /* kernel/ipc/ipc_name.c: KERNEL_IPC_NAME_DRIVER_NUM */
#define IPC_MSG_DRIVER_NUM 0xA8001u  /* kernel/ipc/ipc_msg.c: KERNEL_IPC_MSG_DRIVER_NUM */
#define IPC_SHARE_DRIVER_NUM 0xA8002u /* kernel/ipc/ipc_share.c: KERNEL_IPC_SHARE_DRIVER_NUM */
/* tockc-only, after the IPC drivers: record 026 */
#define SEALED_STORE_DRIVER_NUM 0xA8003u
#define IPC_QUEUE_DRIVER_NUM 0xA8004u /* kernel/ipc/ipc_queue.c: KERNEL_IPC_QUEUE_DRIVER_NUM */
