/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * abi: check every system-call ABI rule that userspace can observe (ABI §1, §2.3), with raw
 * syscalls wherever the libtock wrappers would hide the return variant.
 *
 * Output: one TAP-like line per check, "ok N - <description>" or
 * "not ok N - <description> (got <values> want <values>)", the line
 * "abi: console write from flash" (written straight from flash just before check 20), and
 * finally "abi: <P> passed, <F> failed" (50 checks). Exit code = number of failed checks.
 * Descriptions and their order are fixed; a board without LEDs reports check 24 as
 * "ok 24 - ... # SKIP no LED driver".
 *
 * Usage: load alone or with heartbeat (heartbeat does not disturb any check).
 *
 * Invariants: nothing is printed between calls whose "previous value" another call reports
 * (printf uses read-only allow 1 of the console); the alarm is the only event source, and it is
 * armed only in the yield checks.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <libtock-sync/interface/console.h>
#include <libtock/tock.h>

#include "../common/test_report.h"

enum {
    ALARM = 0x0,
    CONSOLE = 0x1,
    LED = 0x2,
    MISSING_DRIVER = 0x12345,
    FAILURE = 0,
    FAILURE_2 = 2,
    SUCCESS = 128,
    SUCCESS_U32 = 129,
    SUCCESS_2 = 130,
    INVAL = 6,
    NOMEM = 9,
    NOSUPPORT = 10,
    NODEVICE = 11,
    YIELD_NO_WAIT = 0,
    YIELD_WAIT = 1,
    YIELD_WAIT_FOR = 2,
    MEMOP_BRK = 0,
    MEMOP_SBRK = 1,
};

#if defined(__thumb__)
static const uint32_t code_pointer_bits = 1;
#else
static const uint32_t code_pointer_bits = 0;
#endif

static const char flash_message[] = "abi: console write from flash\n";

static unsigned checks;
static unsigned passed;
static unsigned failed;

static uint8_t rw_buffer[32];

static volatile uint32_t upcall_count;
static volatile uint32_t upcall_args[4];

static void upcall_a(int arg0, int arg1, int arg2, void *ud)
{
    (void)arg0;
    (void)arg1;
    (void)arg2;
    (void)ud;
}

static void upcall_b(int arg0, int arg1, int arg2, void *ud)
{
    (void)arg0;
    (void)arg1;
    (void)arg2;
    (void)ud;
}

static void counting_upcall(int arg0, int arg1, int arg2, void *ud)
{
    upcall_args[0] = (uint32_t)arg0;
    upcall_args[1] = (uint32_t)arg1;
    upcall_args[2] = (uint32_t)arg2;
    upcall_args[3] = (uint32_t)(uintptr_t)ud;
    upcall_count++;
}

static uint32_t fn_address(subscribe_upcall *fn)
{
    return (uint32_t)(uintptr_t)fn;
}

static void report(bool ok, const char *description, const char *got, const char *want)
{
    checks++;
    if (ok) {
        passed++;
        printf("ok %u - %s\n", checks, description);
    } else {
        failed++;
        printf("not ok %u - %s (got %s want %s)\n", checks, description, got, want);
    }
}

static void skip(const char *description, const char *reason)
{
    checks++;
    passed++;
    printf("ok %u - %s # SKIP %s\n", checks, description, reason);
}

/* Compare the first `count` of r0-r3 with the wanted values. */
static void expect_regs(const char *description, struct tock_syscall_regs got, unsigned count,
                        uint32_t want0, uint32_t want1, uint32_t want2, uint32_t want3)
{
    const uint32_t have[4] = { got.r0, got.r1, got.r2, got.r3 };
    const uint32_t want[4] = { want0, want1, want2, want3 };
    bool ok = true;
    char got_text[48] = "";
    char want_text[48] = "";
    size_t got_len = 0;
    size_t want_len = 0;
    for (unsigned i = 0; i < count; i++) {
        ok = ok && have[i] == want[i];
        got_len += (size_t)snprintf(&got_text[got_len], sizeof got_text - got_len, "%s0x%lx",
                                    i == 0 ? "" : ",", (unsigned long)have[i]);
        want_len += (size_t)snprintf(&want_text[want_len], sizeof want_text - want_len,
                                     "%s0x%lx", i == 0 ? "" : ",", (unsigned long)want[i]);
    }
    report(ok, description, got_text, want_text);
}

/* Report a boolean check with one value and the value it should have been. */
static void expect_value(const char *description, bool ok, uint32_t got, uint32_t want)
{
    char got_text[16];
    char want_text[16];
    snprintf(got_text, sizeof got_text, "0x%lx", (unsigned long)got);
    snprintf(want_text, sizeof want_text, "0x%lx", (unsigned long)want);
    report(ok, description, got_text, want_text);
}

static uint32_t memop_value(uint32_t op, uint32_t arg)
{
    return tock_syscall_memop(op, arg).r1;
}

static uint32_t alarm_now(void)
{
    return tock_syscall_command(ALARM, 2, 0, 0).r1;
}

static void check_subscribe(void)
{
    uint32_t kernel_fn = TOCKC_KERNEL_CODE_ADDR | code_pointer_bits;
    uint32_t header_fn = memop_value(4, 0) + 4u;
    struct tock_syscall_regs first =
        tock_syscall_subscribe(ALARM, 0, fn_address(upcall_a), 0x1234);
    struct tock_syscall_regs second =
        tock_syscall_subscribe(ALARM, 0, fn_address(upcall_b), 0x5678);
    struct tock_syscall_regs third = tock_syscall_subscribe(ALARM, 0, 0, 0);
    struct tock_syscall_regs missing =
        tock_syscall_subscribe(MISSING_DRIVER, 0, fn_address(upcall_a), 0x1111);
    struct tock_syscall_regs range = tock_syscall_subscribe(ALARM, 5, fn_address(upcall_a), 0x2222);
    struct tock_syscall_regs kernel = tock_syscall_subscribe(ALARM, 0, kernel_fn, 0x3333);
    struct tock_syscall_regs header = tock_syscall_subscribe(ALARM, 0, header_fn, 0x4444);

    expect_regs("subscribe: first call returns (0, 0)", first, 3, SUCCESS_2, 0, 0, 0);
    expect_regs("subscribe: returns the previous upcall and appdata", second, 3, SUCCESS_2,
                fn_address(upcall_a), 0x1234, 0);
    expect_regs("subscribe: null upcall returns the previous pair", third, 3, SUCCESS_2,
                fn_address(upcall_b), 0x5678, 0);
    expect_regs("subscribe: missing driver fails NODEVICE echoing the arguments", missing, 4,
                FAILURE_2, NODEVICE, fn_address(upcall_a), 0x1111);
    expect_regs("subscribe: out-of-range number fails NOSUPPORT", range, 4, FAILURE_2,
                NOSUPPORT, fn_address(upcall_a), 0x2222);
    expect_regs("subscribe: upcall in kernel code fails INVAL", kernel, 4, FAILURE_2, INVAL,
                kernel_fn, 0x3333);
    expect_regs("subscribe: upcall in the TBF header fails INVAL", header, 4, FAILURE_2, INVAL,
                header_fn, 0x4444);
}

static void check_allow(void)
{
    uint32_t buffer = (uint32_t)(uintptr_t)rw_buffer;
    uint32_t message = (uint32_t)(uintptr_t)flash_message;
    uint32_t message_len = sizeof flash_message - 1;
    uint32_t brk = memop_value(MEMOP_SBRK, 0);
    uint32_t flash_start = memop_value(4, 0);

    struct tock_syscall_regs rw_first = tock_syscall_allow_readwrite(CONSOLE, 1, buffer, 16);
    struct tock_syscall_regs rw_second =
        tock_syscall_allow_readwrite(CONSOLE, 1, buffer + 16u, 8);
    struct tock_syscall_regs rw_zero = tock_syscall_allow_readwrite(CONSOLE, 1, 0xdeadbee0u, 0);
    struct tock_syscall_regs rw_back = tock_syscall_allow_readwrite(CONSOLE, 1, 0, 0);
    struct tock_syscall_regs ro_first =
        tock_syscall_allow_readonly(CONSOLE, 1, message, message_len);
    struct tock_syscall_regs ro_back = tock_syscall_allow_readonly(CONSOLE, 1, 0, 0);
    struct tock_syscall_regs kernel =
        tock_syscall_allow_readwrite(CONSOLE, 1, TOCKC_KERNEL_RAM_ADDR, 16);
    struct tock_syscall_regs past_brk = tock_syscall_allow_readwrite(CONSOLE, 1, brk, 16);
    struct tock_syscall_regs wrap =
        tock_syscall_allow_readwrite(CONSOLE, 1, buffer, 0u - buffer + 16u);
    struct tock_syscall_regs rw_flash = tock_syscall_allow_readwrite(CONSOLE, 1, message, 4);
    struct tock_syscall_regs ro_header = tock_syscall_allow_readonly(CONSOLE, 1, flash_start, 16);
    struct tock_syscall_regs missing =
        tock_syscall_allow_readonly(MISSING_DRIVER, 0, message, 4);

    expect_regs("allow rw: first call returns (0, 0)", rw_first, 3, SUCCESS_2, 0, 0, 0);
    expect_regs("allow rw: returns the previous buffer", rw_second, 3, SUCCESS_2, buffer, 16, 0);
    expect_regs("allow rw: zero length accepts any address", rw_zero, 3, SUCCESS_2,
                buffer + 16u, 8, 0);
    expect_regs("allow rw: a zero-length address comes back unchanged", rw_back, 3, SUCCESS_2,
                0xdeadbee0u, 0, 0);
    expect_regs("allow ro: first call returns (0, 0)", ro_first, 3, SUCCESS_2, 0, 0, 0);
    expect_regs("allow ro: returns the previous buffer", ro_back, 3, SUCCESS_2, message,
                message_len, 0);
    expect_regs("allow rw: kernel RAM fails INVAL", kernel, 4, FAILURE_2, INVAL,
                TOCKC_KERNEL_RAM_ADDR, 16);
    expect_regs("allow rw: memory past the break fails INVAL", past_brk, 4, FAILURE_2, INVAL,
                brk, 16);
    expect_regs("allow rw: wrapping length fails INVAL", wrap, 4, FAILURE_2, INVAL, buffer,
                0u - buffer + 16u);
    expect_regs("allow rw: flash fails INVAL", rw_flash, 4, FAILURE_2, INVAL, message, 4);
    expect_regs("allow ro: the TBF header fails INVAL", ro_header, 4, FAILURE_2, INVAL,
                flash_start, 16);
    expect_regs("allow ro: missing driver fails NODEVICE", missing, 4, FAILURE_2, NODEVICE,
                message, 4);

    uint32_t written = 0;
    returncode_t ret = libtocksync_console_write((const uint8_t *)flash_message, message_len,
                                                 &written);
    expect_value("allow ro: console writes a string from flash",
                 ret == RETURNCODE_SUCCESS && written == message_len, written, message_len);
}

static void check_command(void)
{
    expect_regs("command: missing driver fails NODEVICE",
                tock_syscall_command(MISSING_DRIVER, 0, 0, 0), 2, FAILURE, NODEVICE, 0, 0);
    expect_regs("command: unknown command fails NOSUPPORT", tock_syscall_command(CONSOLE, 99, 0, 0),
                2, FAILURE, NOSUPPORT, 0, 0);
    expect_regs("command: console command 0 succeeds", tock_syscall_command(CONSOLE, 0, 0, 0), 1,
                SUCCESS, 0, 0, 0);

    const char *led_check = "command: LED command 0 returns Success-u32 with the LED count";
    struct tock_syscall_regs led = tock_syscall_command(LED, 0, 0, 0);
    if (led.r0 == FAILURE && led.r1 == NODEVICE) {
        skip(led_check, "no LED driver");
    } else {
        expect_value(led_check, led.r0 == SUCCESS_U32 && led.r1 > 0, led.r0, SUCCESS_U32);
    }

    struct tock_syscall_regs frequency = tock_syscall_command(ALARM, 1, 0, 0);
    expect_value("command: alarm frequency is Success-u32 of at least 1 kHz",
                 frequency.r0 == SUCCESS_U32 && frequency.r1 >= 1000, frequency.r1, 1000);
}

static void check_memop(void)
{
    uint32_t start = memop_value(2, 0);
    uint32_t end = memop_value(3, 0);
    uint32_t flash_start = memop_value(4, 0);
    uint32_t flash_end = memop_value(5, 0);
    uint32_t grant = memop_value(6, 0);
    uint32_t brk = memop_value(MEMOP_SBRK, 0);

    expect_value("memop: start < break <= grant start <= end",
                 start < brk && brk <= grant && grant <= end, brk, grant);

    /* SAFETY: memop 4 is the TBF header, readable by the process (ABI §7 item 4). */
    const volatile uint16_t *header16 = (const volatile uint16_t *)(uintptr_t)flash_start;
    const volatile uint32_t *header32 = (const volatile uint32_t *)(uintptr_t)flash_start;
    uint32_t version = header16[0];
    uint32_t header_size = header16[1];
    uint32_t total_size = header32[1];
    expect_value("memop: flash start/end match the TBF header",
                 version == 2 && flash_end == flash_start + total_size, flash_end,
                 flash_start + total_size);
    uint32_t code = fn_address(upcall_a) & ~code_pointer_bits;
    expect_value("memop: code lies in flash after the TBF header",
                 code >= flash_start + header_size && code < flash_end, code,
                 flash_start + header_size);

    struct tock_syscall_regs grow = tock_syscall_memop(MEMOP_SBRK, 64);
    struct tock_syscall_regs now = tock_syscall_memop(MEMOP_SBRK, 0);
    expect_regs("memop: sbrk returns the old break", grow, 2, SUCCESS_U32, brk, 0, 0);
    expect_regs("memop: sbrk(0) returns the new break", now, 2, SUCCESS_U32, brk + 64u, 0, 0);

    /* SAFETY: [brk, brk + 64) was just granted. */
    volatile uint8_t *fresh = (volatile uint8_t *)(uintptr_t)brk;
    uint32_t nonzero = 0;
    for (unsigned i = 0; i < 64; i++) {
        nonzero += fresh[i] != 0;
        fresh[i] = 0xa5;
    }
    expect_value("memop: new memory reads zero", nonzero == 0, nonzero, 0);
    struct tock_syscall_regs shrink = tock_syscall_memop(MEMOP_SBRK, (uint32_t)-64);
    struct tock_syscall_regs regrow = tock_syscall_memop(MEMOP_SBRK, 64);
    nonzero = 0;
    for (unsigned i = 0; i < 64; i++) {
        nonzero += fresh[i] != 0;
    }
    expect_value("memop: memory regrown after shrinking reads zero",
                 shrink.r0 == SUCCESS_U32 && regrow.r0 == SUCCESS_U32 && nonzero == 0, nonzero, 0);

    expect_regs("memop: brk below start fails NOMEM", tock_syscall_memop(MEMOP_BRK, start - 4u),
                2, FAILURE, NOMEM, 0, 0);
    expect_regs("memop: brk into the grant region fails NOMEM",
                tock_syscall_memop(MEMOP_BRK, grant + 4u), 2, FAILURE, NOMEM, 0, 0);
    expect_regs("memop: brk past the end of RAM fails NOMEM",
                tock_syscall_memop(MEMOP_BRK, end + 4096u), 2, FAILURE, NOMEM, 0, 0);
    expect_regs("memop: brk to the current break succeeds",
                tock_syscall_memop(MEMOP_BRK, brk + 64u), 1, SUCCESS, 0, 0, 0);
    expect_regs("memop: unknown operation fails NOSUPPORT", tock_syscall_memop(99, 0), 2,
                FAILURE, NOSUPPORT, 0, 0);
}

static void check_yield(void)
{
    uint32_t hz = tock_syscall_command(ALARM, 1, 0, 0).r1;
    uint32_t ten_ms = hz / 100u;

    /* Nothing is pending: every earlier event was consumed by a wait-for. */
    volatile uint8_t result = 0xaa;
    struct tock_syscall_regs no_wait = tock_syscall_yield(
        YIELD_NO_WAIT, (uint32_t)(uintptr_t)&result, 0x5a5a5a5au, 0xa5a5a5a5u);
    expect_value("yield-no-wait: nothing pending writes 0", result == 0, result, 0);
    expect_regs("yield-no-wait: returns without writing r0-r3", no_wait, 4, YIELD_NO_WAIT,
                (uint32_t)(uintptr_t)&result, 0x5a5a5a5au, 0xa5a5a5a5u);

    upcall_count = 0;
    (void)tock_syscall_subscribe(ALARM, 0, fn_address(counting_upcall), 0x4444);
    uint32_t expiration = tock_syscall_command(ALARM, 5, ten_ms, 0).r1;
    struct tock_syscall_regs event = tock_syscall_yield(YIELD_WAIT_FOR, ALARM, 0, 0x13572468u);
    expect_regs("yield-wait-for: returns (now, expiration, 0) of the alarm upcall", event, 3,
                event.r0, expiration, 0, 0);
    expect_value("yield-wait-for: the event comes at or after the expiration",
                 event.r0 - expiration < hz, event.r0 - expiration, 0);
    expect_value("yield-wait-for: leaves r3 unwritten", event.r3 == 0x13572468u, event.r3,
                 0x13572468u);
    expect_value("yield-wait-for: does not run the upcall", upcall_count == 0, upcall_count, 0);

    expiration = tock_syscall_command(ALARM, 5, ten_ms, 0).r1;
    while ((int32_t)(alarm_now() - (expiration + ten_ms)) < 0) {
        /* Spin well past the expiration: the event is pending but must not be delivered. */
    }
    uint32_t count_before_yield = upcall_count;
    yield();
    expect_value("upcalls run only inside yield", count_before_yield == 0, count_before_yield, 0);
    expect_value("yield: runs the pending upcall", upcall_count == 1, upcall_count, 1);
    expect_regs("upcall: gets (now, expiration, 0, appdata)",
                (struct tock_syscall_regs){ upcall_args[0], upcall_args[1], upcall_args[2],
                                            upcall_args[3] },
                4, upcall_args[0], expiration, 0, 0x4444);

    (void)tock_syscall_subscribe(ALARM, 0, 0, 0);
    expiration = tock_syscall_command(ALARM, 5, ten_ms, 0).r1;
    yield_waitfor_return_t null_event = yield_wait_for(ALARM, 0);
    expect_value("yield-wait-for: works with the null upcall", null_event.data1 == expiration,
                 null_event.data1, expiration);
}

static void check_exit(void)
{
    expect_regs("exit: unknown exit type fails NOSUPPORT", tock_syscall_exit(5, 0), 2, FAILURE,
                NOSUPPORT, 0, 0);
}

/* Last: it leaves the break pinned above the allowed buffer. */
static void check_high_water_mark(void)
{
    uint32_t brk = memop_value(MEMOP_SBRK, 64);
    struct tock_syscall_regs allowed = tock_syscall_allow_readwrite(CONSOLE, 1, brk, 64);
    (void)tock_syscall_allow_readwrite(CONSOLE, 1, 0, 0);
    struct tock_syscall_regs shrink = tock_syscall_memop(MEMOP_SBRK, (uint32_t)-64);
    expect_value("allow rw: memory just below the break is allowable", allowed.r0 == SUCCESS_2,
                 allowed.r0, SUCCESS_2);
    expect_regs("memop: the break cannot drop below allowed memory", shrink, 2, FAILURE, NOMEM, 0,
                0);
}

int main(void)
{
    check_subscribe();
    check_allow();
    check_command();
    check_memop();
    check_yield();
    check_exit();
    check_high_water_mark();
    printf("abi: %u passed, %u failed\n", passed, failed);
    return (int)failed;
}
