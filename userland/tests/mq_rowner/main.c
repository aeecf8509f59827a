/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * mq_rowner: owns the queue "mq.restart" (2 messages) and prints each message's number. A
 * message of kind MQ_KIND_FULL is the signal to crash: it sleeps 100 ms (so that mq_rsender
 * fills the queue and has a send held), then traps with an undefined syscall class; the kernel
 * restarts it and the new instance creates and names a new, empty queue.
 *
 * Expected output: `mq_rowner: ready`, `mq_rowner: got 1`, `mq_rowner: crashing with a send
 * held`, the kernel's fault report, `mq_rowner: ready` again, then `mq_rowner: got 7` (the
 * first message sent to the new instance; the old queue's 2 and 3 are gone with it).
 *
 * Invariants: none beyond mq_test.h's.
 */
#include <libtock-sync/services/alarm.h>

#include "../mq_common/mq_test.h"
#include "tock_syscall_arch.h"

static struct mq_message m;

int main(void)
{
    if (ipc_queue_create(0, sizeof m, 2) != RETURNCODE_SUCCESS ||
        ipc_queue_grant_send(0, true) != RETURNCODE_SUCCESS ||
        ipc_name_register("mq.restart", 0) != RETURNCODE_SUCCESS) {
        printf("mq_rowner: FAIL setup\n");
        return 1;
    }
    printf("mq_rowner: ready\n");
    for (;;) {
        uint32_t badge = 0, reason = 0;
        int rc = ipc_queue_receive(&m, sizeof m, IPC_QUEUE_FOREVER, &badge, &reason);
        if (rc != RETURNCODE_SUCCESS) {
            printf("mq_rowner: FAIL receive %s\n", msg_rc(rc));
            return 1;
        }
        if (m.kind == MQ_KIND_FULL) {
            libtocksync_alarm_delay_ms(100);
            printf("mq_rowner: crashing with a send held\n");
            tock_syscall_undefined_class();
        }
        printf("mq_rowner: got %lu\n", (unsigned long)m.seq);
    }
}
