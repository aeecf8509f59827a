/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * mq_full: sends to mq_consumer's queue while it is full (the consumer sleeps, the producers
 * filled it): with no-wait (refused at once), then with a 30 ms timeout (held, then ended by
 * the kernel's timeout), then with wait-forever (held) after which it exits without waiting:
 * a producer that dies mid-wait. None of its messages may ever reach the consumer, and the
 * producers held with it are served as if it had never been there.
 *
 * Expected output: `mq_full: full no-wait: NOMEM`, `mq_full: full wait 30 ms: CANCEL TIMEOUT,
 * waited enough`, `mq_full: held, exiting` (or a FAIL line).
 *
 * Invariants: none beyond mq_test.h's.
 */
#include <libtock-sync/services/alarm.h>

#include "../mq_common/mq_test.h"

int main(void)
{
    uint32_t q = 0;
    if (ipc_name_lookup_wait(MQ_NAME, &q) != RETURNCODE_SUCCESS) {
        printf("mq_full: FAIL lookup\n");
        return 1;
    }
    libtocksync_alarm_delay_ms(60); /* the producers have filled the queue by now */
    static struct mq_message m = { .kind = MQ_KIND_FULL, .seq = 1 };
    uint32_t reason = 0;
    int rc = ipc_queue_send(q, &m, sizeof m, IPC_QUEUE_NO_WAIT, &reason);
    printf("mq_full: full no-wait: %s\n", msg_rc(rc));
    uint32_t start = msg_ticks();
    rc = ipc_queue_send(q, &m, sizeof m, 30, &reason);
    uint32_t waited = msg_elapsed_ms(start);
    printf("mq_full: full wait 30 ms: %s %s, %s\n", msg_rc(rc), ipc_reason_name(reason),
           waited >= 30 ? "waited enough" : "FAIL too short");
    static struct mq_message last = { .kind = MQ_KIND_DIER, .seq = 1 };
    bool is_held = false;
    rc = ipc_queue_send_start(q, &last, sizeof last, IPC_QUEUE_FOREVER, &is_held, &reason);
    if (rc != RETURNCODE_SUCCESS || !is_held) {
        printf("mq_full: FAIL send %s held %d\n", msg_rc(rc), is_held);
        return 1;
    }
    printf("mq_full: held, exiting\n");
    tock_exit(0);
}
