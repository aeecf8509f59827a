/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Credentials for the smallest kernels (CONFIG=core, whose text budget is 20 KiB): every app
 * may run, no footer is read and no identity is given (short id 0), so its processes keep the
 * storage permissions of their TBF. kernel/credentials.c is the full kernels' version; a board
 * links one of the two (doc/reference/025-app-credentials.md).
 */
#include "kernel/credentials.h"

const char *credentials_check(const struct kernel *k, uint32_t running,
                              const struct tbf_header *hdr, const uint8_t *tbf,
                              struct app_identity *id, char reason[CREDENTIALS_REASON_LEN])
{
    (void)k;
    (void)running;
    (void)hdr;
    (void)tbf;
    (void)id;
    (void)reason;
    return NULL;
}

void credentials_adopt(const struct kernel *k, struct process *p, const struct tbf_header *hdr,
                       const struct app_identity *id)
{
    (void)k;
    (void)p;
    (void)hdr;
    (void)id;
}
