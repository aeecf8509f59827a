/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * mq_rsender: sends to mq_rowner's queue across its restart. Message 1, then the crash signal,
 * then 2 and 3 (they fill the queue while the owner sleeps) and 4 with wait-forever (held):
 * the owner's death must end that held send with UNINSTALLED PEER_DEAD. The old descriptor
 * then says PEER_RESTARTED (generations); after ipc_name_reopen, message 7 reaches the new
 * instance.
 *
 * Expected output: `mq_rsender: held send: UNINSTALLED PEER_DEAD`, `mq_rsender: old
 * descriptor: UNINSTALLED PEER_RESTARTED`, `mq_rsender: reopened, sent 7`, `mq_rsender: done`
 * (or a FAIL line).
 *
 * Invariants: none beyond mq_test.h's.
 */
#include <libtock-sync/services/alarm.h>

#include "../mq_common/mq_test.h"

static struct mq_message m;

static int send(uint32_t q, uint32_t kind, uint32_t seq, uint32_t *reason)
{
    m = (struct mq_message){ .kind = kind, .seq = seq };
    return ipc_queue_send(q, &m, sizeof m, IPC_QUEUE_FOREVER, reason);
}

int main(void)
{
    uint32_t q = 0, reason = 0;
    if (ipc_name_lookup_wait("mq.restart", &q) != RETURNCODE_SUCCESS ||
        send(q, MQ_KIND_PRODUCER, 1, &reason) != RETURNCODE_SUCCESS ||
        send(q, MQ_KIND_FULL, 0, &reason) != RETURNCODE_SUCCESS ||
        send(q, MQ_KIND_PRODUCER, 2, &reason) != RETURNCODE_SUCCESS ||
        send(q, MQ_KIND_PRODUCER, 3, &reason) != RETURNCODE_SUCCESS) {
        printf("mq_rsender: FAIL first sends\n");
        return 1;
    }
    int rc = send(q, MQ_KIND_PRODUCER, 4, &reason);
    printf("mq_rsender: held send: %s %s\n", msg_rc(rc), ipc_reason_name(reason));
    libtocksync_alarm_delay_ms(100); /* the owner has restarted (10 ms) and registered again */
    rc = send(q, MQ_KIND_PRODUCER, 5, &reason);
    printf("mq_rsender: old descriptor: %s %s\n", msg_rc(rc), ipc_reason_name(reason));
    rc = ipc_name_reopen(q);
    if (rc == RETURNCODE_SUCCESS) {
        rc = send(q, MQ_KIND_PRODUCER, 7, &reason);
    }
    if (rc != RETURNCODE_SUCCESS) {
        printf("mq_rsender: FAIL after reopen %s %s\n", msg_rc(rc), ipc_reason_name(reason));
        return 1;
    }
    printf("mq_rsender: reopened, sent 7\n");
    printf("mq_rsender: done\n");
    return 0;
}
