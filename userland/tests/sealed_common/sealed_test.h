/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Shared helpers for the sealed store test apps (sealed_*): the driver's syscalls (0xA8003,
 * capsules/sealed_store_driver.h), each request waited for with Yield-WaitFor, and checks.
 *
 * Usage: #include "../sealed_common/sealed_test.h"; sealed_test_app = "sealed_owner";
 *        sealed_expect(sealed_seal(0, "text", 4, &len), RETURNCODE_SUCCESS, "seal");
 *
 * Invariants: one request outstanding at a time (the driver allows one per process); a failed
 * check prints "<app>: FAIL <what>: got <name> want <name>" and exits 1.
 */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libtock-sync/services/alarm.h>
#include <libtock/tock.h>

#include "../common/test_report.h"

#define SEALED_DRIVER 0xA8003u
#define SEALED_CMD_SEAL 1u
#define SEALED_CMD_OPEN 2u
#define SEALED_CMD_SLOTS 3u
#define SEALED_CMD_RECORD_MAX 4u

static const char *sealed_test_app = "sealed";

/* "SUCCESS", "NOSUPPORT", ... for a returncode. */
static inline const char *sealed_name(returncode_t ret)
{
    if (ret == RETURNCODE_SUCCESS) {
        return "SUCCESS";
    }
    const char *name = test_error_name((uint32_t)-ret);
    return name != NULL ? name : "?";
}

static inline void sealed_expect(returncode_t got, returncode_t want, const char *what)
{
    if (got != want) {
        printf("%s: FAIL %s: got %s want %s\n", sealed_test_app, what, sealed_name(got),
               sealed_name(want));
        tock_exit(1);
    }
}

static inline returncode_t sealed_status(uint32_t status)
{
    return status == 0 ? RETURNCODE_SUCCESS : (returncode_t)-(int32_t)status;
}

/* Command 3 or 4: a u32 the driver reports. */
static inline uint32_t sealed_query(uint32_t command_num)
{
    uint32_t value = 0;
    returncode_t ret = tock_command_return_u32_to_returncode(command(SEALED_DRIVER, command_num,
                                                                     0, 0),
                                                             &value);
    sealed_expect(ret, RETURNCODE_SUCCESS, "query");
    return value;
}

/* Start command 1 or 2 on `slot` and wait for its upcall: the command's refusal, or the
 * upcall's status; *len gets the upcall's length. */
static inline returncode_t sealed_request(uint32_t command_num, uint32_t slot, uint32_t *len)
{
    *len = 0;
    returncode_t ret = tock_command_return_novalue_to_returncode(command(SEALED_DRIVER,
                                                                         command_num, slot, 0));
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    yield_waitfor_return_t done = yield_wait_for(SEALED_DRIVER, 0);
    *len = done.data1;
    return sealed_status(done.data0);
}

/* Seal record[0..record_len) into `slot`. */
static inline returncode_t sealed_seal(uint32_t slot, const void *record, uint32_t record_len,
                                       uint32_t *len)
{
    allow_ro_return_t allowed = allow_readonly(SEALED_DRIVER, 0, record, record_len);
    sealed_expect(tock_allow_ro_return_to_returncode(allowed), RETURNCODE_SUCCESS, "allow ro");
    returncode_t ret = sealed_request(SEALED_CMD_SEAL, slot, len);
    allowed = allow_readonly(SEALED_DRIVER, 0, NULL, 0);
    (void)allowed;
    return ret;
}

/* Open `slot` into buf[0..capacity); *len gets the record's length. */
static inline returncode_t sealed_open(uint32_t slot, void *buf, uint32_t capacity,
                                       uint32_t *len)
{
    allow_rw_return_t allowed = allow_readwrite(SEALED_DRIVER, 0, buf, capacity);
    sealed_expect(tock_allow_rw_return_to_returncode(allowed), RETURNCODE_SUCCESS, "allow rw");
    returncode_t ret = sealed_request(SEALED_CMD_OPEN, slot, len);
    allowed = allow_readwrite(SEALED_DRIVER, 0, NULL, 0);
    (void)allowed;
    return ret;
}

/* Open `slot` until it is not empty (INVAL), waiting `ms` between tries; the first other
 * result. */
static inline returncode_t sealed_wait_for_record(uint32_t slot, void *buf, uint32_t capacity,
                                                  uint32_t *len, uint32_t ms)
{
    for (;;) {
        returncode_t ret = sealed_open(slot, buf, capacity, len);
        if (ret != RETURNCODE_EINVAL) {
            return ret;
        }
        libtocksync_alarm_delay_ms(ms);
    }
}
