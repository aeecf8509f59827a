/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Virtual alarms over the single kernel alarm.
 *
 * Usage: see alarm.h.
 *
 * Invariants: `pending` is ordered by ticks left (earliest first, FIFO among equals) and holds
 * each handle at most once; whenever it is non-empty the kernel alarm is armed for its head, or
 * an alarm event is already queued. Handle fields are never read before they are written, so
 * callers may pass uninitialised handles (libtock-c apps do).
 */
#include "alarm.h"

static libtock_alarm_ticks_t *pending;
static uint32_t frequency_hz; /* 0 until read from the kernel; it never changes */

static uint32_t frequency(void)
{
    if (frequency_hz == 0) {
        uint32_t hz = 0;
        if (libtock_alarm_command_get_frequency(&hz) == RETURNCODE_SUCCESS && hz != 0) {
            frequency_hz = hz;
        }
    }
    return frequency_hz != 0 ? frequency_hz : 1000u;
}

static uint32_t now_ticks(void)
{
    uint32_t now = 0;
    (void)libtock_alarm_command_read(&now);
    return now;
}

static bool is_expired(const libtock_alarm_ticks_t *alarm, uint32_t now)
{
    return now - alarm->reference >= alarm->dt;
}

static uint32_t ticks_left(const libtock_alarm_ticks_t *alarm, uint32_t now)
{
    return is_expired(alarm, now) ? 0 : alarm->dt - (now - alarm->reference);
}

/* Milliseconds to ticks, rounded down; callers keep ms <= max_chunk_ms() so it fits. */
static uint32_t ms_to_ticks(uint32_t ms)
{
    uint64_t hz = frequency();
    uint64_t ticks = (uint64_t)(ms / 1000u) * hz + ((uint64_t)(ms % 1000u) * hz) / 1000u;
    return ticks > UINT32_MAX ? UINT32_MAX : (uint32_t)ticks;
}

uint32_t libtock_alarm_ticks_to_ms(uint32_t ticks)
{
    uint32_t hz = frequency();
    uint64_t ms = (uint64_t)(ticks / hz) * 1000u + ((uint64_t)(ticks % hz) * 1000u) / hz;
    return ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
}

/* The longest wait, in whole milliseconds, that one tick alarm can express. */
static uint32_t max_chunk_ms(void)
{
    return libtock_alarm_ticks_to_ms(UINT32_MAX);
}

static void alarm_upcall(int now, int expiration, int unused, void *opaque)
{
    (void)now;
    (void)expiration;
    (void)unused;
    (void)opaque;
    libtock_alarm_dispatch();
}

static int arm_kernel_alarm(const libtock_alarm_ticks_t *head)
{
    int ret = libtock_alarm_set_upcall(alarm_upcall, NULL);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    return libtock_alarm_command_set_absolute(head->reference, head->dt);
}

static void unlink_alarm(libtock_alarm_ticks_t *alarm)
{
    if (alarm->prev != NULL) {
        alarm->prev->next = alarm->next;
    } else {
        pending = alarm->next;
    }
    if (alarm->next != NULL) {
        alarm->next->prev = alarm->prev;
    }
    alarm->next = NULL;
    alarm->prev = NULL;
}

/* Compares addresses only, so it is safe on a handle the caller never initialised. */
static bool is_pending(const libtock_alarm_ticks_t *alarm)
{
    for (const libtock_alarm_ticks_t *cur = pending; cur != NULL; cur = cur->next) {
        if (cur == alarm) {
            return true;
        }
    }
    return false;
}

int libtock_alarm_at(uint32_t reference, uint32_t dt, libtock_alarm_callback callback,
                     void *opaque, libtock_alarm_ticks_t *alarm)
{
    if (is_pending(alarm)) {
        unlink_alarm(alarm);
    }
    *alarm = (libtock_alarm_ticks_t){ .reference = reference, .dt = dt, .callback = callback,
                                      .ud = opaque, .next = NULL, .prev = NULL };
    uint32_t now = now_ticks();
    uint32_t left = ticks_left(alarm, now);
    libtock_alarm_ticks_t *before = NULL;
    libtock_alarm_ticks_t *after = pending;
    while (after != NULL && ticks_left(after, now) <= left) {
        before = after;
        after = after->next;
    }
    alarm->prev = before;
    alarm->next = after;
    if (after != NULL) {
        after->prev = alarm;
    }
    if (before != NULL) {
        before->next = alarm;
        return RETURNCODE_SUCCESS;
    }
    pending = alarm;
    return arm_kernel_alarm(alarm);
}

void libtock_alarm_cancel(libtock_alarm_ticks_t *alarm)
{
    if (!is_pending(alarm)) {
        return;
    }
    bool was_head = pending == alarm;
    unlink_alarm(alarm);
    if (!was_head) {
        return;
    }
    if (pending != NULL) {
        (void)arm_kernel_alarm(pending);
    } else {
        (void)libtock_alarm_command_stop();
    }
}

void libtock_alarm_dispatch(void)
{
    /* One alarm at a time, re-reading the clock each time, so callbacks may freely add and
     * cancel alarms and a newly added alarm's reference is never after `now`. */
    for (;;) {
        uint32_t now = now_ticks();
        libtock_alarm_ticks_t *head = pending;
        if (head == NULL || !is_expired(head, now)) {
            break;
        }
        unlink_alarm(head);
        if (head->callback != NULL) {
            head->callback(now, head->reference + head->dt, head->ud);
        }
    }
    if (pending != NULL) {
        (void)arm_kernel_alarm(pending);
    }
}

static int schedule_ms(libtock_alarm_t *alarm, uint32_t reference, uint32_t ms);

/* One step of a millisecond alarm: wait out the remaining steps, then report. */
static void ms_alarm_step(uint32_t now, uint32_t scheduled, void *opaque)
{
    libtock_alarm_t *alarm = opaque;
    if (alarm->overflows_left > 0) {
        alarm->overflows_left--;
        (void)libtock_alarm_at(scheduled, ms_to_ticks(max_chunk_ms()), ms_alarm_step, alarm,
                               &alarm->alarm);
        return;
    }
    if (alarm->remaining_ticks > 0) {
        uint32_t last = alarm->remaining_ticks;
        alarm->remaining_ticks = 0;
        (void)libtock_alarm_at(scheduled, last, ms_alarm_step, alarm, &alarm->alarm);
        return;
    }
    if (alarm->interval_ms != 0) {
        (void)schedule_ms(alarm, scheduled, alarm->interval_ms);
    }
    if (alarm->callback != NULL) {
        alarm->callback(now, scheduled, alarm->user_data);
    }
}

static int schedule_ms(libtock_alarm_t *alarm, uint32_t reference, uint32_t ms)
{
    uint32_t chunk_ms = max_chunk_ms();
    if (ms <= chunk_ms) {
        alarm->overflows_left = 0;
        alarm->remaining_ticks = 0;
        return libtock_alarm_at(reference, ms_to_ticks(ms), ms_alarm_step, alarm, &alarm->alarm);
    }
    alarm->overflows_left = ms / chunk_ms - 1u;
    alarm->remaining_ticks = ms_to_ticks(ms % chunk_ms);
    return libtock_alarm_at(reference, ms_to_ticks(chunk_ms), ms_alarm_step, alarm,
                            &alarm->alarm);
}

int libtock_alarm_in_ms(uint32_t ms, libtock_alarm_callback cb, void *opaque,
                        libtock_alarm_t *alarm)
{
    uint32_t now = 0;
    int ret = libtock_alarm_command_read(&now);
    if (ret != RETURNCODE_SUCCESS) {
        return ret;
    }
    libtock_alarm_cancel(&alarm->alarm);
    alarm->interval_ms = 0;
    alarm->callback = cb;
    alarm->user_data = opaque;
    return schedule_ms(alarm, now, ms);
}

void libtock_alarm_repeating_every_ms(uint32_t ms, libtock_alarm_callback cb, void *opaque,
                                      libtock_alarm_t *alarm)
{
    uint32_t now = 0;
    if (libtock_alarm_command_read(&now) != RETURNCODE_SUCCESS) {
        return;
    }
    libtock_alarm_cancel(&alarm->alarm);
    alarm->interval_ms = ms != 0 ? ms : 1u;
    alarm->callback = cb;
    alarm->user_data = opaque;
    (void)schedule_ms(alarm, now, alarm->interval_ms);
}

void libtock_alarm_ms_cancel(libtock_alarm_t *alarm)
{
    libtock_alarm_cancel(&alarm->alarm);
}

int libtock_alarm_gettimeasticks(struct timeval *tv, void *tzvp)
{
    (void)tzvp;
    uint32_t now = 0;
    if (libtock_alarm_command_read(&now) != RETURNCODE_SUCCESS) {
        return -1;
    }
    uint32_t hz = frequency();
    tv->tv_sec = (time_t)(now / hz);
    tv->tv_usec = (suseconds_t)(((uint64_t)(now % hz) * 1000000u) / hz);
    return 0;
}
