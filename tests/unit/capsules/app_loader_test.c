/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Host tests for the app loader's state machine (capsules/extra/app_loader.c) on the real RAM
 * flash driver over a host buffer standing in for app flash, with fake grants and processes.
 *
 * The kernel's side is a test double here (kernel_app_list_end walks the lengths as the
 * kernel does; kernel_check_app parses the header; kernel_load_app records the call): its real
 * checks are loader_test's. What these tests hold the capsule to is the promise: after
 * every load, refusal, abort and death the flash walks (the list ends where it did, or right
 * after the new app), the bytes of the apps already there never change, the room reads erased
 * again after a load that did not complete, and the owner's rules (BUSY, INVAL, ALREADY).
 *
 * Usage: make build/host/app_loader_test build/host-san/app_loader_test (or `make unit`).
 *
 * Invariants: each test starts from setup(): app flash holds one 0x14CC-byte object (its end
 * not page-aligned, zeros after it, as QEMU loads an image), or one of 0x1000 bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app_load_plan.h"
#include "capsules/app_loader.h"
#include "capsules/driver_num.h"
#include "driver_command.h"
#include "fake_debug.h"
#include "fake_grant.h"
#include "kernel/deferred_call.h"
#include "kernel/kernel.h"
#include "ram_flash/ram_flash.h"
#include "tbf.h"

#define FLASH_SIZE 0x10000u
#define PAGE 512u
#define FIRST_SIZE 0x14CCu
#define APP_SIZE 0x1230u

static uint8_t flash_mem[FLASH_SIZE] __attribute__((aligned(PAGE)));
static uint8_t before[FLASH_SIZE];
static struct ram_flash device;
static struct app_loader loader;
static uint8_t page_buf[PAGE];
static struct kernel k;
static struct process_id a, b;
static uint8_t image[APP_SIZE];
static uintptr_t loaded_at;
static uint32_t load_calls;
static const char *load_refusal;

/* ---------------------------------------------------------------- the kernel's side */

err_t kernel_app_list_end(const struct kernel *kernel, uintptr_t *end)
{
    uintptr_t addr = kernel->config.app_flash_start;
    uintptr_t limit = kernel->config.app_flash_end;
    while (addr < limit) {
        struct tbf_lengths lengths;
        enum tbf_status st = tbf_parse_lengths((const uint8_t *)addr, limit - addr, &lengths);
        if (st == TBF_END) {
            break;
        }
        if (st == TBF_ERR_VERSION || st == TBF_ERR_TOTAL_SIZE) {
            return ERR_FAIL;
        }
        addr += lengths.total_size;
    }
    *end = addr;
    return ERR_OK;
}

bool kernel_app_flash_fits(void *unused, uintptr_t addr, uint32_t size)
{
    (void)unused;
    (void)size;
    return addr % 4u == 0;
}

const char *kernel_check_app(struct kernel *kernel, uintptr_t addr, uint32_t size,
                             char reason[KERNEL_REASON_LEN])
{
    (void)kernel;
    (void)reason;
    struct tbf_lengths lengths;
    enum tbf_status st = tbf_parse_lengths((const uint8_t *)addr, size, &lengths);
    if (st == TBF_OK && lengths.total_size != size) {
        return "size mismatch";
    }
    struct tbf_header hdr;
    if (st == TBF_OK) {
        st = tbf_parse_header((const uint8_t *)addr, lengths.header_size, &hdr);
    }
    return st == TBF_OK || st == TBF_PADDING ? NULL : tbf_status_reason(st);
}

const char *kernel_load_app(struct kernel *kernel, uintptr_t addr, uint32_t size,
                            char reason[KERNEL_REASON_LEN])
{
    load_calls++;
    const char *why = kernel_check_app(kernel, addr, size, reason);
    if (why == NULL && load_refusal != NULL) {
        why = load_refusal;
    }
    if (why == NULL) {
        loaded_at = addr;
    }
    return why;
}

/* ---------------------------------------------------------------- helpers */

static uintptr_t base(void)
{
    return (uintptr_t)flash_mem;
}

/* One object of `size` bytes at `offset`: a bare header (the walk's lengths), a pattern body. */
static void put_object(uint8_t *at, uint32_t size, uint8_t pattern)
{
    for (uint32_t i = APP_LOAD_PADDING_MIN; i < size; i++) {
        at[i] = (uint8_t)(pattern + i * 7u);
    }
    app_load_padding_header(at, size);
}

static void setup_with_first(uint32_t first_size)
{
    memset(flash_mem, 0, sizeof flash_mem); /* QEMU's zeros after the image */
    put_object(flash_mem, first_size, 0x11);
    memcpy(before, flash_mem, sizeof before);
    fake_grant_reset();
    fake_debug_reset(FAKE_DEBUG_RING_MAX);
    deferred_call_reset_for_test();
    k = (struct kernel){ .config = { .app_flash_start = base(),
                                     .app_flash_end = base() + FLASH_SIZE } };
    assert_int_equal(ram_flash_init_loaded(&device, flash_mem, sizeof flash_mem, PAGE, 1),
                     ERR_OK);
    assert_int_equal(app_loader_init(&loader, &device.flash, page_buf, sizeof page_buf, &k),
                     ERR_OK);
    a = fake_process_create();
    b = fake_process_create();
    put_object(image, APP_SIZE, 0x5A);
    loaded_at = 0;
    load_calls = 0;
    load_refusal = NULL;
}

static int setup(void **state)
{
    (void)state;
    setup_with_first(FIRST_SIZE);
    return 0;
}

static void run(void)
{
    for (unsigned guard = 0; guard < 10000 && deferred_call_has_pending(); guard++) {
        deferred_call_service();
    }
    assert_false(deferred_call_has_pending());
}

/* The status of a command: 0 for success, else the error code. */
static int cmd(struct process_id pid, uint32_t num, uint32_t arg0, uint32_t arg1)
{
    struct syscall_return r = driver_command(&loader.driver, num, arg0, arg1, pid);
    return r.variant == SYSCALL_SUCCESS ? 0 : (int)r.values[0];
}

/* The first argument of the last upcall `subscribe_num` to pid, or -1 when there was none. */
static int last_upcall(struct process_id pid, uint32_t subscribe_num)
{
    for (size_t i = fake_grant_upcall_count(); i > 0; i--) {
        const struct fake_upcall *u = fake_grant_upcall(i - 1u);
        if (u->pid.index == pid.index && u->pid.id == pid.id &&
            u->subscribe_num == subscribe_num) {
            return (int)u->args[0];
        }
    }
    return -1;
}

static uintptr_t walk_end(void)
{
    uintptr_t end = 0;
    assert_int_equal(kernel_app_list_end(&k, &end), ERR_OK);
    return end;
}

static void setup_load(struct process_id pid, uint32_t size)
{
    assert_int_equal(cmd(pid, APP_LOADER_CMD_SETUP, size, 0), 0);
    run();
    assert_int_equal(last_upcall(pid, APP_LOADER_UPCALL_SETUP_DONE), ERR_OK);
}

/* Write image[0, len) in page chunks; 0 or the first failure. */
static int write_image(struct process_id pid, const uint8_t *bytes, uint32_t len)
{
    for (uint32_t offset = 0; offset < len; offset += PAGE) {
        uint32_t n = len - offset < PAGE ? len - offset : PAGE;
        fake_process_allow_ro(pid, APP_LOADER_DRIVER_NUM, APP_LOADER_ALLOW_RO_WRITE,
                              bytes + offset, n);
        int st = cmd(pid, APP_LOADER_CMD_WRITE, offset, n);
        if (st != 0) {
            return st;
        }
        fake_grant_clear_upcalls();
        run();
        st = last_upcall(pid, APP_LOADER_UPCALL_WRITE_DONE);
        if (st != ERR_OK) {
            return st;
        }
    }
    return 0;
}

/* The first `len` bytes of app flash are as they were at boot. */
static void expect_untouched(size_t len)
{
    assert_memory_equal(flash_mem, before, len);
}

static void expect_room_erased(void)
{
    uintptr_t from = loader.plan.erase_start;
    assert_true(app_load_is_erased((const uint8_t *)from,
                                   (uint32_t)(loader.plan.erase_end - from)));
}

/* ---------------------------------------------------------------- tests */

static void test_load_links_the_app_after_the_list(void **state)
{
    (void)state;
    setup_load(a, APP_SIZE);
    uintptr_t list_end = base() + FIRST_SIZE;
    assert_int_equal(loader.plan.list_end, list_end);
    assert_int_equal(loader.plan.address, base() + 0x1600u);
    expect_room_erased();
    assert_int_equal(write_image(a, image, APP_SIZE), 0);
    assert_int_equal(walk_end(), list_end); /* written, not linked */
    assert_int_equal(cmd(a, APP_LOADER_CMD_FINALIZE, 0, 0), 0);
    assert_int_equal(last_upcall(a, APP_LOADER_UPCALL_FINALIZE_DONE), ERR_OK);
    assert_int_equal(walk_end(), list_end);
    assert_int_equal(cmd(a, APP_LOADER_CMD_LOAD, 0, 0), 0);
    run();
    assert_int_equal(last_upcall(a, APP_LOADER_UPCALL_LOAD_DONE), ERR_OK);
    assert_int_equal(loaded_at, base() + 0x1600u);
    /* The walk: the first object, the padding, the new app, then the end. */
    assert_int_equal(walk_end(), base() + 0x1600u + APP_SIZE);
    struct tbf_lengths lengths;
    assert_int_equal(tbf_parse_lengths(flash_mem + FIRST_SIZE, FLASH_SIZE - FIRST_SIZE,
                                       &lengths),
                     TBF_OK);
    assert_int_equal(lengths.total_size, 0x1600u - FIRST_SIZE);
    assert_memory_equal(flash_mem + 0x1600u, image, APP_SIZE);
    expect_untouched(FIRST_SIZE); /* the page shared with the first app was merged back */
    assert_int_equal(loader.state, APP_LOADER_IDLE);
    /* The driver is free again; a second app goes after the first one loaded. */
    setup_load(b, APP_SIZE);
    assert_int_equal(loader.plan.list_end, base() + 0x1600u + APP_SIZE);
    assert_int_equal(loader.plan.address, base() + 0x2A00u);
    assert_int_equal(write_image(b, image, APP_SIZE), 0);
    assert_int_equal(cmd(b, APP_LOADER_CMD_FINALIZE, 0, 0), 0);
    assert_int_equal(cmd(b, APP_LOADER_CMD_LOAD, 0, 0), 0);
    run();
    assert_int_equal(last_upcall(b, APP_LOADER_UPCALL_LOAD_DONE), ERR_OK);
    assert_int_equal(walk_end(), base() + 0x2A00u + APP_SIZE);
    assert_memory_equal(flash_mem + 0x1600u, image, APP_SIZE);
}

static void test_page_aligned_list_end_is_committed_without_an_erase(void **state)
{
    (void)state;
    setup_with_first(0x1000u);
    setup_load(a, APP_SIZE);
    assert_int_equal(loader.plan.erase_start, base() + 0x1000u);
    assert_int_equal(loader.plan.address, base() + 0x1200u);
    assert_int_equal(write_image(a, image, APP_SIZE), 0);
    assert_int_equal(cmd(a, APP_LOADER_CMD_FINALIZE, 0, 0), 0);
    assert_int_equal(cmd(a, APP_LOADER_CMD_LOAD, 0, 0), 0);
    assert_int_equal(loader.commit_step, APP_LOADER_COMMIT_PROGRAM);
    run();
    assert_int_equal(last_upcall(a, APP_LOADER_UPCALL_LOAD_DONE), ERR_OK);
    assert_int_equal(walk_end(), base() + 0x1200u + APP_SIZE);
    expect_untouched(0x1000u);
}

static void test_refused_image_is_erased_and_the_list_unchanged(void **state)
{
    (void)state;
    setup_load(a, APP_SIZE);
    image[12] ^= 0x01; /* the header checksum */
    assert_int_equal(write_image(a, image, APP_SIZE), 0);
    assert_int_equal(cmd(a, APP_LOADER_CMD_FINALIZE, 0, 0), ERR_FAIL);
    assert_non_null(strstr(fake_debug_log(), "app loader: refused the app at"));
    assert_non_null(strstr(fake_debug_log(), "header checksum mismatch"));
    assert_int_equal(cmd(b, APP_LOADER_CMD_SETUP, APP_SIZE, 0), ERR_BUSY); /* cleaning */
    run();
    assert_int_equal(last_upcall(a, APP_LOADER_UPCALL_ABORT_DONE), ERR_OK);
    expect_room_erased();
    assert_int_equal(walk_end(), base() + FIRST_SIZE);
    expect_untouched(FIRST_SIZE + 16u);
    assert_int_equal(load_calls, 0);
    /* A size the header does not declare is refused the same way. */
    image[12] ^= 0x01;
    setup_load(a, APP_SIZE + 4u);
    assert_int_equal(write_image(a, image, APP_SIZE), 0);
    assert_int_equal(cmd(a, APP_LOADER_CMD_FINALIZE, 0, 0), ERR_FAIL);
    run();
    assert_int_equal(walk_end(), base() + FIRST_SIZE);
}

static void test_abort_then_a_shorter_app_leaves_no_trace_after_it(void **state)
{
    (void)state;
    /* A long load aborted half way: its bytes must not follow a shorter app loaded later. */
    static uint8_t big[0x3000];
    put_object(big, sizeof big, 0x33);
    setup_load(a, sizeof big);
    assert_int_equal(write_image(a, big, sizeof big), 0);
    assert_int_equal(cmd(a, APP_LOADER_CMD_ABORT, 0, 0), 0);
    run();
    assert_int_equal(last_upcall(a, APP_LOADER_UPCALL_ABORT_DONE), ERR_OK);
    expect_room_erased();
    assert_int_equal(walk_end(), base() + FIRST_SIZE);
    setup_load(a, APP_SIZE);
    assert_int_equal(write_image(a, image, APP_SIZE), 0);
    assert_int_equal(cmd(a, APP_LOADER_CMD_FINALIZE, 0, 0), 0);
    assert_int_equal(cmd(a, APP_LOADER_CMD_LOAD, 0, 0), 0);
    run();
    assert_int_equal(walk_end(), base() + 0x1600u + APP_SIZE);
    assert_true(app_load_is_erased(flash_mem + 0x1600u + APP_SIZE, 0x3000u - APP_SIZE));
}

static void test_owner_dying_mid_load_frees_the_loader_and_erases(void **state)
{
    (void)state;
    setup_load(a, APP_SIZE);
    assert_int_equal(write_image(a, image, 2 * PAGE), 0);
    fake_grant_clear_upcalls();
    loader.exit_hook.on_exit(&loader.exit_hook, a);
    fake_process_kill(a);
    assert_int_equal(cmd(b, APP_LOADER_CMD_SETUP, APP_SIZE, 0), ERR_BUSY);
    run();
    assert_int_equal(fake_grant_upcall_count(), 0); /* nothing to the dead */
    expect_room_erased();
    assert_int_equal(walk_end(), base() + FIRST_SIZE);
    assert_int_equal(loader.state, APP_LOADER_IDLE);
    setup_load(b, APP_SIZE);
    assert_int_equal(write_image(b, image, APP_SIZE), 0);
    assert_int_equal(cmd(b, APP_LOADER_CMD_FINALIZE, 0, 0), 0);
    assert_int_equal(cmd(b, APP_LOADER_CMD_LOAD, 0, 0), 0);
    run();
    assert_int_equal(last_upcall(b, APP_LOADER_UPCALL_LOAD_DONE), ERR_OK);
}

static void test_owner_dying_during_setup_or_a_write_cleans_up_after_it(void **state)
{
    (void)state;
    assert_int_equal(cmd(a, APP_LOADER_CMD_SETUP, APP_SIZE, 0), 0);
    loader.exit_hook.on_exit(&loader.exit_hook, a); /* while the room is being erased */
    fake_process_kill(a);
    run();
    assert_int_equal(loader.state, APP_LOADER_IDLE);
    assert_int_equal(last_upcall(a, APP_LOADER_UPCALL_SETUP_DONE), -1);
    expect_room_erased();
    /* A write's program outstanding when the owner dies. */
    setup_load(b, APP_SIZE);
    fake_process_allow_ro(b, APP_LOADER_DRIVER_NUM, 0, image, PAGE);
    assert_int_equal(cmd(b, APP_LOADER_CMD_WRITE, 0, PAGE), 0);
    loader.exit_hook.on_exit(&loader.exit_hook, b);
    fake_process_kill(b);
    run();
    assert_int_equal(loader.state, APP_LOADER_IDLE);
    expect_room_erased();
    assert_int_equal(walk_end(), base() + FIRST_SIZE);
    /* Another process's death changes nothing. */
    struct process_id c = fake_process_create();
    setup_load(c, APP_SIZE);
    struct process_id d = fake_process_create();
    loader.exit_hook.on_exit(&loader.exit_hook, d);
    assert_int_equal(loader.state, APP_LOADER_READY);
}

static void test_owner_rules_and_bounds(void **state)
{
    (void)state;
    assert_int_equal(cmd(a, 0, 0, 0), 0);
    assert_int_equal(cmd(a, 6, 0, 0), ERR_NOSUPPORT);
    assert_int_equal(cmd(a, APP_LOADER_CMD_WRITE, 0, 4), ERR_INVAL);    /* nothing set up */
    assert_int_equal(cmd(a, APP_LOADER_CMD_FINALIZE, 0, 0), ERR_INVAL);
    assert_int_equal(cmd(a, APP_LOADER_CMD_LOAD, 0, 0), ERR_INVAL);
    assert_int_equal(cmd(a, APP_LOADER_CMD_ABORT, 0, 0), ERR_INVAL);
    assert_int_equal(cmd(a, APP_LOADER_CMD_SETUP, 8, 0), ERR_INVAL);
    assert_int_equal(cmd(a, APP_LOADER_CMD_SETUP, 0x7FFFFF00u, 0), ERR_NOMEM);
    assert_int_equal(cmd(a, APP_LOADER_CMD_SETUP, APP_SIZE, base() + 0x1604u), ERR_INVAL);
    assert_int_equal(cmd(a, APP_LOADER_CMD_SETUP, APP_SIZE, 0), 0);
    assert_int_equal(cmd(a, APP_LOADER_CMD_SETUP, APP_SIZE, 0), ERR_BUSY);
    assert_int_equal(cmd(a, APP_LOADER_CMD_WRITE, 0, 4), ERR_INVAL); /* still erasing */
    run();
    assert_int_equal(cmd(b, APP_LOADER_CMD_WRITE, 0, 4), ERR_BUSY);  /* not the owner */
    assert_int_equal(cmd(b, APP_LOADER_CMD_ABORT, 0, 0), ERR_BUSY);
    assert_int_equal(cmd(a, APP_LOADER_CMD_LOAD, 0, 0), ERR_INVAL);  /* not finalized */
    assert_int_equal(cmd(a, APP_LOADER_CMD_WRITE, 0, 4), ERR_RESERVE);
    fake_process_allow_ro(a, APP_LOADER_DRIVER_NUM, 0, image, 4);
    assert_int_equal(cmd(a, APP_LOADER_CMD_WRITE, 0, 8), ERR_SIZE);
    fake_process_allow_ro(a, APP_LOADER_DRIVER_NUM, 0, image, APP_SIZE);
    /* Past the app's size: its bytes (the header's, here) are neither 0x00 nor 0xFF. */
    assert_int_equal(cmd(a, APP_LOADER_CMD_WRITE, APP_SIZE - 4u, 8), ERR_INVAL);
    assert_int_equal(cmd(a, APP_LOADER_CMD_WRITE, APP_SIZE, 4), ERR_INVAL);
    assert_int_equal(cmd(a, APP_LOADER_CMD_WRITE, 0x1200u, 0x201u), ERR_INVAL); /* same */
    assert_int_equal(cmd(a, APP_LOADER_CMD_WRITE, 0xFFFFFE00u, PAGE), ERR_INVAL);
    assert_int_equal(cmd(a, APP_LOADER_CMD_WRITE, 0, 0), ERR_INVAL);
    assert_int_equal(fake_grant_upcall_count_for(APP_LOADER_DRIVER_NUM, a,
                                                 APP_LOADER_UPCALL_WRITE_DONE),
                     0);
    assert_int_equal(write_image(a, image, PAGE), 0);
    assert_int_equal(write_image(a, image, PAGE), ERR_ALREADY);
    expect_untouched(0x1600u); /* nothing before the room changed, the list end included */
    assert_int_equal(walk_end(), base() + FIRST_SIZE);
}

static void test_long_writes_span_pages_and_a_padded_tail_is_not_written(void **state)
{
    (void)state;
    setup_load(a, APP_SIZE);
    /* 3 KiB at once, from an odd offset: six pages programmed, one upcall with the length. */
    fake_process_allow_ro(a, APP_LOADER_DRIVER_NUM, 0, image + 0x10, 0xC00u);
    fake_grant_clear_upcalls();
    assert_int_equal(cmd(a, APP_LOADER_CMD_WRITE, 0x10, 0xC00u), 0);
    run();
    assert_int_equal(fake_grant_upcall_count(), 1);
    assert_int_equal(last_upcall(a, APP_LOADER_UPCALL_WRITE_DONE), ERR_OK);
    assert_int_equal(fake_grant_upcall(0)->args[1], 0xC00u);
    assert_memory_equal(flash_mem + 0x1600u + 0x10u, image + 0x10, 0xC00u);
    /* The head, and a 4 KiB last chunk padded with zeros as libtock-c's loaders send it. */
    assert_int_equal(write_image(a, image, 0x10), 0);
    static uint8_t chunk[0x1000];
    memset(chunk, 0, sizeof chunk);
    memcpy(chunk, image + 0xC10u, APP_SIZE - 0xC10u);
    chunk[sizeof chunk - 1u] = 0x01; /* one stray byte in the padding: refused */
    fake_process_allow_ro(a, APP_LOADER_DRIVER_NUM, 0, chunk, sizeof chunk);
    assert_int_equal(cmd(a, APP_LOADER_CMD_WRITE, 0xC10u, sizeof chunk), ERR_INVAL);
    chunk[sizeof chunk - 1u] = 0;
    assert_int_equal(cmd(a, APP_LOADER_CMD_WRITE, 0xC10u, sizeof chunk), 0);
    run();
    assert_int_equal(fake_grant_upcall(fake_grant_upcall_count() - 1u)->args[1], sizeof chunk);
    assert_int_equal(last_upcall(a, APP_LOADER_UPCALL_WRITE_DONE), ERR_OK);
    assert_memory_equal(flash_mem + 0x1600u, image, APP_SIZE);
    assert_true(app_load_is_erased(flash_mem + 0x1600u + APP_SIZE, 0x1400u - APP_SIZE));
    assert_int_equal(cmd(a, APP_LOADER_CMD_FINALIZE, 0, 0), 0);
    assert_int_equal(cmd(a, APP_LOADER_CMD_LOAD, 0, 0), 0);
    run();
    assert_int_equal(walk_end(), base() + 0x1600u + APP_SIZE);
}

static void test_an_allow_shrunk_during_a_write_ends_it_with_size(void **state)
{
    (void)state;
    setup_load(a, APP_SIZE);
    fake_process_allow_ro(a, APP_LOADER_DRIVER_NUM, 0, image, 0x800u);
    fake_grant_clear_upcalls();
    assert_int_equal(cmd(a, APP_LOADER_CMD_WRITE, 0, 0x800u), 0);
    fake_process_allow_ro(a, APP_LOADER_DRIVER_NUM, 0, image, 0x100u);
    run();
    assert_int_equal(last_upcall(a, APP_LOADER_UPCALL_WRITE_DONE), ERR_SIZE);
    assert_int_equal(loader.state, APP_LOADER_READY);
    assert_int_equal(cmd(a, APP_LOADER_CMD_ABORT, 0, 0), 0);
    run();
    expect_room_erased();
}

static void test_a_load_the_kernel_cannot_start_stays_installed(void **state)
{
    (void)state;
    load_refusal = "no free process slot (8 of 8)";
    setup_load(a, APP_SIZE);
    assert_int_equal(write_image(a, image, APP_SIZE), 0);
    assert_int_equal(cmd(a, APP_LOADER_CMD_FINALIZE, 0, 0), 0);
    assert_int_equal(cmd(a, APP_LOADER_CMD_LOAD, 0, 0), 0);
    run();
    assert_int_equal(last_upcall(a, APP_LOADER_UPCALL_LOAD_DONE), ERR_NOMEM);
    assert_non_null(strstr(fake_debug_log(), "installed, not started: no free process slot"));
    assert_int_equal(walk_end(), base() + 0x1600u + APP_SIZE); /* the next boot finds it */
    assert_int_equal(loader.state, APP_LOADER_IDLE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_load_links_the_app_after_the_list, setup),
        cmocka_unit_test_setup(test_page_aligned_list_end_is_committed_without_an_erase, setup),
        cmocka_unit_test_setup(test_refused_image_is_erased_and_the_list_unchanged, setup),
        cmocka_unit_test_setup(test_abort_then_a_shorter_app_leaves_no_trace_after_it, setup),
        cmocka_unit_test_setup(test_owner_dying_mid_load_frees_the_loader_and_erases, setup),
        cmocka_unit_test_setup(test_owner_dying_during_setup_or_a_write_cleans_up_after_it,
                               setup),
        cmocka_unit_test_setup(test_owner_rules_and_bounds, setup),
        cmocka_unit_test_setup(test_long_writes_span_pages_and_a_padded_tail_is_not_written,
                               setup),
        cmocka_unit_test_setup(test_an_allow_shrunk_during_a_write_ends_it_with_size, setup),
        cmocka_unit_test_setup(test_a_load_the_kernel_cannot_start_stays_installed, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
