/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Shared by the restart-soak apps (doc/reference/016-restart-soak.md): the supervisor's name,
 * the opcodes the cycler calls it with, and the plan the supervisor answers with.
 *
 * Usage: #include "../soak_common/soak.h" from soak_supervisor and soak_cycler.
 *
 * Invariants: header-only. The plan is the response code of the cycler's SOAK_OP_CYCLE call:
 * bits 0-3 how many acquisition steps the instance takes before it dies, bit 8 die by a fault
 * (else exit-restart).
 */
#pragma once

#define SOAK_SUPERVISOR_NAME "soak.super"
#define SOAK_CYCLER_NAME "soak.cycler"
#define SOAK_SUPERVISOR_PACKAGE "soak_supervisor"

enum soak_op {
    SOAK_OP_CYCLE = 1, /* "a new instance is here": the reply's code is the plan */
    SOAK_OP_HOLD = 2,  /* a call the supervisor receives and never answers */
};

#define SOAK_PLAN_STAGES 0xFu
#define SOAK_PLAN_FAULT 0x100u
#define SOAK_STAGE_COUNT 6u /* stages 0..5 */

/* Notification bits the supervisor takes: the cycler's post, its watch on the cycler. */
#define SOAK_BIT_POSTED 0x1u
#define SOAK_BIT_WATCH 0x2u
