/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * mq_producer: one of several producers on mq_consumer's queue (loaded more than once; the
 * kernel's badge tells the instances apart). Sends MQ_PER_PRODUCER messages numbered 1.. with
 * wait-forever: the queue fills while the consumer sleeps, so most of them are held by the
 * kernel until the consumer makes room.
 *
 * Expected output: `mq_producer: sent 10` (or a FAIL line).
 *
 * Invariants: none beyond mq_test.h's.
 */
#include "../mq_common/mq_test.h"

int main(void)
{
    uint32_t q = 0;
    if (ipc_name_lookup_wait(MQ_NAME, &q) != RETURNCODE_SUCCESS) {
        printf("mq_producer: FAIL lookup\n");
        return 1;
    }
    for (uint32_t seq = 1; seq <= MQ_PER_PRODUCER; seq++) {
        static struct mq_message m;
        m = (struct mq_message){ .kind = MQ_KIND_PRODUCER, .seq = seq };
        uint32_t reason = 0;
        int rc = ipc_queue_send(q, &m, sizeof m, IPC_QUEUE_FOREVER, &reason);
        if (rc != RETURNCODE_SUCCESS) {
            printf("mq_producer: FAIL send %lu: %s %s\n", (unsigned long)seq, msg_rc(rc),
                   ipc_reason_name(reason));
            return 1;
        }
    }
    printf("mq_producer: sent %lu\n", (unsigned long)MQ_PER_PRODUCER);
    return 0;
}
