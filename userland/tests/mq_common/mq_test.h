/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Shared by the mq_* test apps (message queues, driver 0xA8004): the test queue's name, its
 * message, and who sent it.
 *
 * Usage: #include "../mq_common/mq_test.h" from an app in userland/tests/mq_*.
 *
 * Invariants: header-only; every app that includes it is a test app (links test_report.c).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <libtock/kernel/ipc_queue.h>

#include "../msg_common/msg_test.h"

#define MQ_NAME "mq.test"
#define MQ_DEPTH 4u
#define MQ_PER_PRODUCER 10u

/* What a message says about its sender (the kernel's badge says who it is). */
enum mq_kind {
    MQ_KIND_PRODUCER = 0x50524F44u, /* "PROD": mq_producer, seq 1..MQ_PER_PRODUCER */
    MQ_KIND_FULL = 0x46554C4Cu,     /* "FULL": mq_full, refused or timed out: never arrives */
    MQ_KIND_DIER = 0x44494552u,     /* "DIER": mq_full died while held: never arrives */
};

struct mq_message {
    uint32_t kind;
    uint32_t seq;
};
