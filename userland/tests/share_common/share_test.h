/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Shared by the share_* test apps (IPC_SHARE, driver 0xA8002): the owner's names and opcodes.
 * share_owner serves calls on the message IPC; a peer sends its own registered name as the
 * request and gets the offer id as the response code, so offers always name the peer instance
 * that asked.
 *
 * Usage: #include "../share_common/share_test.h" from an app in userland/tests/share_*.
 *
 * Invariants: header-only; every app that includes it is a test app.
 */
#pragma once

#include <stdint.h>

#include <libtock/kernel/ipc_msg.h>
#include <libtock/kernel/ipc_share.h>

#include "../msg_common/msg_test.h"

#define SHARE_OWNER_NAME "share.owner"
#define SHARE_OWNER2_NAME "share.owner2" /* a second share_owner instance */
#define SHARE_REGION_LEN 256u

enum share_op {
    SHARE_OP_OFFER_SLOT0 = 1, /* offer slot 0 (slot 1: opcode 2) to the request's name; reply
                               * code = offer id, reply byte = offers made so far (a phase) */
    SHARE_OP_CHECK = 3,       /* print what slot 0's region holds */
    SHARE_OP_REVOKE = 4,      /* revoke slot 0's offer */
    SHARE_OP_CRASH = 5,       /* reply, then fault (the owner restarts) */
};
