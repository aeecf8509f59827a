/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * libtock core: Tock 2.x system calls with libtock-c's names, types and return-variant rules.
 *
 * Apps written against libtock-c's `libtock/tock.h` compile unchanged against this header. The
 * typedefs below are libtock-c's public API, which is why this file uses typedefs where the rest
 * of tockc writes `struct foo`. Return codes follow libtock-c: 0 is success, a negative value is
 * -1 * the kernel's error code (ABI §1.4); `statuscode_t` is the kernel's positive form.
 *
 * Usage: `#include <libtock/tock.h>` (or `<tock.h>`); link libtockc.a and crt0.o.
 *
 * Invariants: subscribe() and the allow calls accept only variants 130/2 and memop() only
 * 128/129/0 (ABI §1.3); any other variant ends the process with exit code 1, exactly like
 * libtock-c, because it means the kernel broke the ABI. Upcalls run only inside yield(),
 * yield_no_wait() and yield_for(); yield_wait_for() never runs one.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An upcall: (arg0, arg1, arg2, appdata given to subscribe). */
typedef void(subscribe_upcall)(int, int, int, void *);

/* Pass as the upcall to subscribe() to install the Null Upcall. */
#define TOCK_NULL_UPCALL 0

/* The return variant in r0/a0 (ABI §1.3). */
typedef enum {
    TOCK_SYSCALL_FAILURE = 0,
    TOCK_SYSCALL_FAILURE_U32 = 1,
    TOCK_SYSCALL_FAILURE_U32_U32 = 2,
    TOCK_SYSCALL_FAILURE_U64 = 3,
    TOCK_SYSCALL_SUCCESS = 128,
    TOCK_SYSCALL_SUCCESS_U32 = 129,
    TOCK_SYSCALL_SUCCESS_U32_U32 = 130,
    TOCK_SYSCALL_SUCCESS_U64 = 131,
    TOCK_SYSCALL_SUCCESS_U32_U32_U32 = 132,
    TOCK_SYSCALL_SUCCESS_U64_U32 = 133,
} syscall_rtype_t;

/* libtock-c's C-style result: 0 success, -ErrorCode on failure. */
typedef enum {
    RETURNCODE_SUCCESS = 0,
    RETURNCODE_FAIL = -1,
    RETURNCODE_EBUSY = -2,
    RETURNCODE_EALREADY = -3,
    RETURNCODE_EOFF = -4,
    RETURNCODE_ERESERVE = -5,
    RETURNCODE_EINVAL = -6,
    RETURNCODE_ESIZE = -7,
    RETURNCODE_ECANCEL = -8,
    RETURNCODE_ENOMEM = -9,
    RETURNCODE_ENOSUPPORT = -10,
    RETURNCODE_ENODEVICE = -11,
    RETURNCODE_EUNINSTALLED = -12,
    RETURNCODE_ENOACK = -13,
    RETURNCODE_EBADRVAL = -1024, /* unexpected return variant; userspace only */
} returncode_t;

/* The kernel's StatusCode: 0 success, otherwise the ErrorCode value. */
typedef enum {
    TOCK_STATUSCODE_SUCCESS = 0,
    TOCK_STATUSCODE_FAIL = 1,
    TOCK_STATUSCODE_BUSY = 2,
    TOCK_STATUSCODE_ALREADY = 3,
    TOCK_STATUSCODE_OFF = 4,
    TOCK_STATUSCODE_RESERVE = 5,
    TOCK_STATUSCODE_INVAL = 6,
    TOCK_STATUSCODE_SIZE = 7,
    TOCK_STATUSCODE_CANCEL = 8,
    TOCK_STATUSCODE_NOMEM = 9,
    TOCK_STATUSCODE_NOSUPPORT = 10,
    TOCK_STATUSCODE_NODEVICE = 11,
    TOCK_STATUSCODE_UNINSTALLED = 12,
    TOCK_STATUSCODE_NOACK = 13,
} statuscode_t;

/* Any syscall's raw result: the variant and r1-r3 (data[0] = r1). */
typedef struct {
    syscall_rtype_t type;
    uint32_t data[3];
} syscall_return_t;

/* subscribe(): on success the previous (callback, userdata); on failure the ones passed in. */
typedef struct {
    bool success;
    subscribe_upcall *callback;
    void *userdata;
    statuscode_t status;
} subscribe_return_t;

/* allow_readwrite(): on success the previous buffer; on failure the one passed in. */
typedef struct {
    bool success;
    void *ptr;
    size_t size;
    statuscode_t status;
} allow_rw_return_t;

/* allow_readonly(): as allow_rw_return_t. */
typedef struct {
    bool success;
    const void *ptr;
    size_t size;
    statuscode_t status;
} allow_ro_return_t;

/* allow_userspace_read(): as allow_rw_return_t. */
typedef struct {
    bool success;
    void *ptr;
    size_t size;
    statuscode_t status;
} allow_userspace_r_return_t;

/* memop(): `data` is meaningful only when `status` is TOCK_STATUSCODE_SUCCESS. */
typedef struct {
    statuscode_t status;
    uint32_t data;
} memop_return_t;

/* yield_wait_for(): the three upcall arguments of the event it consumed. */
typedef struct {
    uint32_t data0;
    uint32_t data1;
    uint32_t data2;
} yield_waitfor_return_t;

/* Conversions. Each returns RETURNCODE_SUCCESS or the negated status; the command ones return
 * RETURNCODE_EBADRVAL when the variant is not the one the caller expects. */
returncode_t tock_status_to_returncode(statuscode_t status);
returncode_t tock_command_return_novalue_to_returncode(syscall_return_t command_return);
/* Writes *value only on success (variant 129). */
returncode_t tock_command_return_u32_to_returncode(syscall_return_t command_return,
                                                   uint32_t *value);
returncode_t tock_subscribe_return_to_returncode(subscribe_return_t subscribe_return);
returncode_t tock_allow_rw_return_to_returncode(allow_rw_return_t allow_return);
returncode_t tock_allow_ro_return_to_returncode(allow_ro_return_t allow_return);
returncode_t tock_allow_userspace_r_return_to_returncode(allow_userspace_r_return_t allow_return);

/*
 * Queue a callback to run at the next yield()/yield_no_wait() before asking the kernel.
 * Returns a non-negative slot on success, -1 if the 16-entry userspace queue is full.
 */
int tock_enqueue(subscribe_upcall cb, int arg0, int arg1, int arg2, void *ud);

/* Run one queued userspace task if there is one. Returns 1 if it ran one, 0 otherwise. */
int yield_check_tasks(void);

/* Block until one upcall (or userspace task) has run. */
void yield(void);

/* yield() until *cond is true. */
void yield_for(bool *cond);

/* Run one pending upcall or userspace task if any. Returns 1 if one ran, 0 if none was pending. */
int yield_no_wait(void);

/*
 * Block until the kernel has an event for (driver, subscribe) and return its arguments without
 * running the registered upcall (ABI §1.6.3). Other events stay queued in order.
 */
yield_waitfor_return_t yield_wait_for(uint32_t driver, uint32_t subscribe);

/* Exit-terminate / exit-restart with a completion code (ABI §1.11). Never return. */
void tock_exit(uint32_t completion_code) __attribute__((noreturn));
void tock_restart(uint32_t completion_code) __attribute__((noreturn));

/* Command (class 2): any variant may come back; inspect `type`. */
__attribute__((warn_unused_result)) syscall_return_t command(uint32_t driver, uint32_t command,
                                                            int arg1, int arg2);

/* Subscribe (class 1): `uc` may be TOCK_NULL_UPCALL. */
__attribute__((warn_unused_result)) subscribe_return_t subscribe(uint32_t driver,
                                                                uint32_t subscribe,
                                                                subscribe_upcall uc,
                                                                void *userdata);

/* Read-write allow (class 3): the kernel may write `ptr` until it is allowed away again. */
__attribute__((warn_unused_result)) allow_rw_return_t allow_readwrite(uint32_t driver,
                                                                     uint32_t allow, void *ptr,
                                                                     size_t size);

/* Read-only allow (class 4): `ptr` may be in flash after the TBF header. */
__attribute__((warn_unused_result)) allow_ro_return_t allow_readonly(uint32_t driver,
                                                                    uint32_t allow,
                                                                    const void *ptr,
                                                                    size_t size);

/* Userspace-readable allow (class 7). */
__attribute__((warn_unused_result)) allow_userspace_r_return_t allow_userspace_read(
    uint32_t driver, uint32_t allow, void *ptr, size_t size);

/* Memop (class 5), ABI §1.10. */
memop_return_t memop(uint32_t op_type, int arg1);

/* Memop introspection; NULL (or 0 regions) when the kernel refuses. */
void *tock_app_memory_begins_at(void);
void *tock_app_memory_ends_at(void);
void *tock_app_flash_begins_at(void);
void *tock_app_flash_ends_at(void);
void *tock_app_grant_begins_at(void);
int tock_app_number_writeable_flash_regions(void);
void *tock_app_writeable_flash_region_begins_at(int region_index);
void *tock_app_writeable_flash_region_ends_at(int region_index);

/* True when command 0 on `driver` returns any success variant (ABI §1.8). */
bool driver_exists(uint32_t driver);

/* Human-readable texts for status and return codes; never NULL. */
const char *tock_strerr(statuscode_t status);
const char *tock_strrcode(returncode_t returncode);

/* Print a diagnostic and exit(1) when expected != actual. */
void tock_expect(int expected, int actual, const char *file, unsigned line);
#define TOCK_EXPECT(expected, actual) tock_expect((expected), (actual), __FILE__, __LINE__)

#ifdef __cplusplus
}
#endif
