/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * mq_consumer: owns the test queue (MQ_DEPTH messages). First, on the empty queue: no-wait is
 * refused, a 30 ms wait ends with the kernel's timeout. Then it names the queue, sleeps 300 ms
 * while mq_producer instances fill it and block, mq_full is refused, times out and dies with a
 * held send; then it drains: every producer's messages in their order, 2 *
 * MQ_PER_PRODUCER in all, none from mq_full, and afterwards nothing more arrives.
 *
 * Expected output: `mq_consumer: empty no-wait: BUSY`, `mq_consumer: empty wait 30 ms: CANCEL
 * TIMEOUT, waited enough`, `mq_consumer: ready`, `mq_consumer: 20 messages from 2 producers,
 * each in order`, `mq_consumer: then empty: CANCEL TIMEOUT`, `mq_consumer: done` (or FAIL).
 *
 * Invariants: none beyond mq_test.h's.
 */
#include <libtock-sync/services/alarm.h>

#include "../mq_common/mq_test.h"

#define MAX_PRODUCERS 4u

static struct mq_message m;

int main(void)
{
    int rc = ipc_queue_create(0, sizeof m, MQ_DEPTH);
    if (rc == RETURNCODE_SUCCESS) {
        rc = ipc_queue_grant_send(0, true);
    }
    if (rc != RETURNCODE_SUCCESS) {
        printf("mq_consumer: FAIL create %s\n", msg_rc(rc));
        return 1;
    }
    uint32_t badge = 0, reason = 0;
    rc = ipc_queue_receive(&m, sizeof m, IPC_QUEUE_NO_WAIT, &badge, &reason);
    printf("mq_consumer: empty no-wait: %s\n", msg_rc(rc));
    uint32_t start = msg_ticks();
    rc = ipc_queue_receive(&m, sizeof m, 30, &badge, &reason);
    uint32_t waited = msg_elapsed_ms(start);
    printf("mq_consumer: empty wait 30 ms: %s %s, %s\n", msg_rc(rc), ipc_reason_name(reason),
           waited >= 30 ? "waited enough" : "FAIL too short");
    if (ipc_name_register(MQ_NAME, 0) != RETURNCODE_SUCCESS) {
        printf("mq_consumer: FAIL register\n");
        return 1;
    }
    printf("mq_consumer: ready\n");
    libtocksync_alarm_delay_ms(300);

    uint32_t badges[MAX_PRODUCERS] = { 0 }, last[MAX_PRODUCERS] = { 0 };
    uint32_t producers = 0, total = 0;
    bool in_order = true;
    while (total < 2u * MQ_PER_PRODUCER) {
        rc = ipc_queue_receive(&m, sizeof m, IPC_QUEUE_FOREVER, &badge, &reason);
        if (rc != RETURNCODE_SUCCESS || m.kind != MQ_KIND_PRODUCER) {
            printf("mq_consumer: FAIL receive %s kind 0x%lx\n", msg_rc(rc),
                   (unsigned long)m.kind);
            return 1;
        }
        uint32_t i = 0;
        while (i < producers && badges[i] != badge) {
            i++;
        }
        if (i == producers) {
            if (producers == MAX_PRODUCERS) {
                printf("mq_consumer: FAIL too many senders\n");
                return 1;
            }
            badges[producers++] = badge;
        }
        in_order = in_order && m.seq == last[i] + 1u;
        last[i] = m.seq;
        total++;
    }
    printf("mq_consumer: %lu messages from %lu producers, %s\n", (unsigned long)total,
           (unsigned long)producers, in_order ? "each in order" : "FAIL out of order");
    rc = ipc_queue_receive(&m, sizeof m, 100, &badge, &reason);
    printf("mq_consumer: then empty: %s %s\n", msg_rc(rc), ipc_reason_name(reason));
    printf("mq_consumer: done\n");
    return 0;
}
