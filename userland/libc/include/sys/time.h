/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * tockc userland sys/time.h: struct timeval, for libtock_alarm_gettimeasticks().
 *
 * Usage: struct timeval tv; libtock_alarm_gettimeasticks(&tv, NULL);
 *
 * Invariants: none.
 */
#pragma once

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int64_t time_t;
typedef int32_t suseconds_t;

struct timeval {
    time_t tv_sec;
    suseconds_t tv_usec;
};

#ifdef __cplusplus
}
#endif
