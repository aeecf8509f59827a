/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * tockc on QEMU mps2-an385 (Cortex-M3): every object the kernel uses, and how they are wired.
 *
 * UART0 is shared through a UART mux by the process console and kernel debug output; a CMSDK
 * timer pair is the alarm, shared through an alarm mux (components/core.h); the two FPGA-IO
 * LEDs are the LED driver. Processes that fault are restarted up to CORE_MAX_RESTARTS times,
 * then stopped. Storage: a RAM-backed flash model (NOR rules, 512-byte pages, 4 KiB erase
 * units; contents last until reset) behind the flash mux, with the nonvolatile storage driver
 * on its first 8 KiB and the key-value driver's record store on two 4 KiB banks
 * (components/storage.h). The self-test image (kernel-selftest.elf) adds the SPI and I2C
 * controllers and self tests of the muxes (selftests.c). Random numbers (0x40001)
 * come from an HMAC_DRBG whose only seed is timer readings (capsules/clock_entropy.h): the board
 * has no entropy source, so they are predictable and the board says so at boot.
 *
 * Invariants: everything here is a named static initialised once in board_main, before any
 * process is loaded; a boot step that fails stops the board with a message (boot_check).
 */
#include "arch/cortexm.h"
#include "capsules/driver_num.h"
#include "noinit.h"
#include "capsules/clock_entropy.h"
#include "capsules/led.h"
#include "capsules/rng.h"
#include "components/core.h"
#include "components/credentials.h"
#include "components/ipc.h"
#include "components/process_console.h"
#include "components/selftest.h"
#include "components/storage.h"
#include "components/supervisor.h"
#include "components/crypto.h"
#include "components/sealed_store.h"
#include "components/driver_table.h"
#include "container.h"
#include "kernel/debug.h"
#include "kernel/kernel.h"
#include "mps2/an385.h"
#include "ram_flash/ram_flash.h"

#define BOARD_PROCESSES 8u
/* IPC_SHARE mappings per process (PMSAv7 regions 3-7 take shares: 3 for IPC_SHARE leaves 2 for the
 * compatible IPC; record 031). */
#define BOARD_IPC_SHARE_MAX_MAPPED 3u
#define BOARD_PANIC_EXIT_STATUS 1u /* QEMU's exit status after a kernel panic */
/* The RAM flash: 112 pages of 512 bytes in 4 KiB erase units. Units 0-1: nonvolatile storage;
 * unit 2: its spare; unit 3: the flash self test's scratch unit; units 4 and 5: the key-value
 * store's two banks; units 6-10: the isolated storage's directory page and eight 2 KiB
 * regions; unit 11: its spare; units 12 and 13: the sealed store's two slots. No rewrite
 * journals (capsules/flash_transfer.h): this flash is RAM, so nothing on it survives a power
 * loss anyway. */
#define BOARD_FLASH_PAGE 512u
#define BOARD_FLASH_ERASE_PAGES 8u
#define BOARD_FLASH_PAGES 112u
#define BOARD_FLASH_SCRATCH_PAGE 24u
#define BOARD_FLASH_KV_PAGE 32u
#define BOARD_FLASH_INVS_PAGE 48u
#define BOARD_FLASH_INVS_SPARE_PAGE 88u
#define BOARD_FLASH_SEALED_PAGE 96u

void board_main(void);

/* What every configuration has: the core (kernel, alarm, console, LEDs, low-level debug). */
static struct cmsdk_uart uart0;
static struct cmsdk_alarm timer;
static struct mps2_fpgaio_led led0;
static struct mps2_fpgaio_led led1;
static struct kernel_chip chip;
static struct core_component core;
static struct led_driver led_driver;
static struct hil_led *const leds[] = { &led0.led, &led1.led };
static NOINIT struct process processes[BOARD_PROCESSES]; /* kernel_init fills every slot */
static struct kernel kernel;

#ifdef BOARD_CONFIG_CORE
/* CONFIG=core (boards/boards.mk): the core drivers only. */
static const struct driver_slot drivers[] = {
    CORE_DRIVER_SLOTS(core, led_driver),
};

static void setup_full_board(void)
{
}

static void start_process_console(void)
{
}
#else
/* The full demo board: crypto, both IPCs, storage, random numbers. */
static struct supervisor_component supervisor;
/* NOINIT: a process's start clears its slots' masks; a slot is read only while its bit is set
 * (record 030). */
static NOINIT struct upcall_latched latched_slots[BOARD_PROCESSES];
/* NOINIT: crypto_component_setup writes every field before anything reads it (each _init
 * fills its whole object; the queue entries past the process count are never read), so boot
 * does not zero its 3.5 KiB (components/crypto.h). */
static NOINIT struct crypto_component crypto;
static struct ipc_component ipc;
static NOINIT uint8_t flash_storage[BOARD_FLASH_PAGES * BOARD_FLASH_PAGE]; /* reads blank at init */
static struct ram_flash ram_flash;
static struct storage_component storage;
static struct kv_component kv;
/* NOINIT: its setup writes every field before anything reads it (each _init fills its whole
 * object; the page buffers are filled before they are read; the queue entries past the process
 * count are never read), so boot does not zero its 2 KiB (components/storage.h). */
static NOINIT struct app_flash_component app_flash;
static struct isolated_storage_component invs;
/* NOINIT: its setup writes every field before anything reads it, and its page and record
 * buffers are written before they are read, so boot does not zero them
 * (components/sealed_store.h). */
static NOINIT struct sealed_store_component sealed;
static const struct sealed_store_region sealed_region = {
    .first_page = BOARD_FLASH_SEALED_PAGE, .slots = 2
};
static const struct isolated_storage_layout invs_layout = {
    .first_page = BOARD_FLASH_INVS_PAGE, .region_count = BOARD_PROCESSES, .region_pages = 4,
    .spare_page = BOARD_FLASH_INVS_SPARE_PAGE
};
static const struct nonvolatile_storage_config nvs_config = {
    .first_page = 0, .page_count = 16, .spare_page = 16
};
static const struct kv_store_config kv_config = {
    .first_page = BOARD_FLASH_KV_PAGE, .bank_pages = BOARD_FLASH_ERASE_PAGES
};
static const struct cmd_queue_config storage_queue_config = {
    .now = storage_ticks, .clock_ctx = &timer.alarm, .session_idle_ticks = 0
};
static struct clock_entropy weak_entropy;
static struct rng_driver rng;
static const uint8_t rng_personalization[] = "tockc qemu_mps2_an385 rng";
static const struct rng_config rng_config = {
    .personalization = rng_personalization,
    .personalization_len = sizeof rng_personalization - 1u,
    .reseed_after = RNG_DEFAULT_RESEED_AFTER,
    .reseed_limit = RNG_DEFAULT_RESEED_LIMIT,
};

/* The process console (components/process_console.h) and what its `kernel` command lists.
 * NOINIT: its setup writes every field before anything reads it, and its line and history
 * buffers are written before they are read, so boot does not zero them. */
static NOINIT struct process_console_component process_console;
static const struct process_console_object console_objects[] = {
    FULL_CONSOLE_OBJECTS(processes, core, crypto, ipc, storage, kv, app_flash, invs, rng,
                         process_console),
};

static void board_reset(void)
{
    cortexm_system_reset();
}

/* The shared rows (components/driver_table.h); this board adds none of its own. */
static const struct driver_slot drivers[] = {
    CORE_DRIVER_SLOTS(core, led_driver),
    FULL_DRIVER_SLOTS(ipc, storage, kv, app_flash, invs, crypto, rng, sealed),
};

/* The self tests, and the fault-policy test apps' overrides, are only in the self-test image
 * (components/selftest.h). */
#ifdef BOARD_SELFTESTS
static void start_selftests(struct mux_flash *flash_mux)
{
    board_selftests_start(flash_mux, BOARD_FLASH_SCRATCH_PAGE);
    selftest_fault_policies(&kernel);
}
#else
static void start_selftests(struct mux_flash *flash_mux)
{
    (void)flash_mux;
}
#endif

static void setup_full_board(void)
{
    supervisor_component_setup(&supervisor, &core.alarm_mux, &kernel);
    kernel_set_latched_slots(&kernel, latched_slots, ARRAY_LEN(latched_slots));
    credentials_component_setup(&kernel); /* the image's policy (components/credentials.h) */
    kernel_set_memory_map(&kernel, core_memory_map());
    crypto_component_setup(&crypto, &kernel, &core.alarm_mux, BOARD_PROCESSES);
    ipc_component_setup(&ipc, &kernel, &core.alarm_mux, BOARD_IPC_SHARE_MAX_MAPPED);
    boot_check(ram_flash_init(&ram_flash, flash_storage, sizeof flash_storage, BOARD_FLASH_PAGE,
                              BOARD_FLASH_ERASE_PAGES),
               "ram flash");
    storage_component_setup(&storage, &kernel, &ram_flash.flash, &nvs_config,
                            &storage_queue_config);
    kv_component_setup(&kv, &kernel, &storage.flash_mux, &kv_config, &storage_queue_config);
    app_flash_component_setup(&app_flash, &kernel, &storage_queue_config);
    isolated_storage_component_setup(&invs, &kernel, &storage.flash_mux, &invs_layout,
                                     &storage_queue_config);
    sealed_store_component_setup(&sealed, &kernel, &crypto, &storage.flash_mux, &sealed_region,
                                 &storage_queue_config);
    start_selftests(&storage.flash_mux);
    /* No entropy hardware: the RNG is seeded from timer readings, which are predictable. */
    boot_check(clock_entropy_init(&weak_entropy, &timer.alarm), "clock entropy");
    boot_check(rng_driver_init(&rng, &kernel, &weak_entropy.entropy, &rng_config), "rng");
    debug_printf("rng: no entropy source on this board: 0x40001 is seeded from timer readings "
                 "and is predictable (not for keys)\n");
}

/* Out of line: inlined into board_main it changed how the compiler kept the registers of the
 * rest of boot (the flash set-up loop spilled), which cost more than the call. */
__attribute__((noinline)) static void start_process_console(void)
{
    process_console_component_setup(&process_console, &kernel, &core, "qemu_mps2_an385",
                                    board_reset, console_objects, ARRAY_LEN(console_objects));
}
#endif

static void panic_putc(char c)
{
    cmsdk_uart_putc_sync(&uart0, c);
}

/* A kernel panic ends QEMU with a failure status through semihosting, which the board's QEMU
 * command line enables (board.json); `make run` and the tests see it. */
static void panic_exit(void)
{
    cortexm_semihosting_exit(BOARD_PANIC_EXIT_STATUS);
}

void board_main(void)
{
    debug_set_panic_putc(panic_putc);
    debug_set_panic_exit(panic_exit);
    boot_check(cmsdk_uart_init(&uart0, MPS2_UART0_BASE, MPS2_CLOCK_HZ, 115200), "uart0");
    cmsdk_alarm_init(&timer, MPS2_TIMER1_BASE, MPS2_TIMER0_BASE, MPS2_CLOCK_HZ);
    mps2_fpgaio_led_init(&led0, 0);
    mps2_fpgaio_led_init(&led1, 1);
    mps2_an385_chip_init(&chip, &uart0, &timer);

    const struct kernel_config config = core_kernel_config(processes, BOARD_PROCESSES, drivers,
                                                           ARRAY_LEN(drivers), &chip);
    kernel_init(&kernel, &config);
    core_component_setup(&core, &kernel, &uart0.tx, &uart0.rx, &timer.alarm);
    led_driver_init(&led_driver, leds, ARRAY_LEN(leds));
    setup_full_board();
    debug_printf("tockc %u.%u on qemu_mps2_an385 (Cortex-M3)\n", KERNEL_VERSION_MAJOR,
                 KERNEL_VERSION_MINOR);
    start_process_console();
    kernel_load_processes(&kernel);
    kernel_loop(&kernel);
}
