/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * tockc on QEMU RISC-V `virt` (rv32imac, PMP): every object the kernel uses, and how they are
 * wired — the same capsules as the Cortex-M board (components/core.h) over the NS16550 UART and
 * the CLINT machine timer. QEMU virt has no LEDs, so two RAM-backed
 * LEDs stand in (chips/qemu_virt/ram_led.c). Processes that fault are restarted up to
 * CORE_MAX_RESTARTS times, then stopped. Storage: the CFI parallel flash pflash1 (backed by
 * the file QEMU is given with -drive if=pflash,unit=1, so it persists across runs) behind the
 * flash mux, with the nonvolatile storage driver on its first erase unit, the key-value driver's
 * record store on two more (components/storage.h), and in the self-test image only
 * (selftests.c, components/selftest.h) a self test of the flash on another unit. Random
 * numbers (0x40001): an HMAC_DRBG seeded from QEMU's virtio-rng device on a virtio-mmio slot
 * (chips/virtio), probed at boot.
 *
 * Invariants: as for qemu_mps2_an385; app RAM covers 0x80300000-0x803FFFFF so that libtock-c's
 * fixed-address RISC-V apps get exactly the RAM they were linked for (ABI §6.2).
 */
#include "arch/riscv.h"
#include "capsules/driver_num.h"
#include "noinit.h"
#include "capsules/led.h"
#include "capsules/rng.h"
#include "cfi_flash/cfi_flash.h"
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
#include "qemu_virt/virt.h"

#define BOARD_PROCESSES 8u
/* IPC_SHARE mappings per process (the PMP has two TOR pairs for shares, shared with the compatible IPC; record 031). */
#define BOARD_IPC_SHARE_MAX_MAPPED 2u
#define BOARD_PANIC_EXIT_STATUS 1u /* QEMU's exit status after a kernel panic */
/* QEMU hw/riscv/virt.c: pflash1 (`info mtree`: virt.flash1), a 32-bit bank of two x16 CFI chips
 * with 256 KiB erase units. Unit 0: nonvolatile storage; unit 1: its spare; unit 2: the flash
 * self test's scratch unit; units 3 and 4: the key-value store's two banks; unit 5: the isolated
 * storage's directory page and eight 2 KiB regions; unit 6: its spare; units 7 and 8: the
 * rewrite journals of nonvolatile and isolated storage (capsules/flash_transfer.h), which make
 * their rewrites safe against power loss; units 9 and 10: the sealed store's two slots. */
#define BOARD_PFLASH1_BASE 0x22000000u
#define BOARD_PFLASH_INTERLEAVE 2u
#define BOARD_FLASH_UNIT_PAGES 512u
#define BOARD_FLASH_SCRATCH_PAGE (2u * BOARD_FLASH_UNIT_PAGES)
#define BOARD_FLASH_KV_PAGE (3u * BOARD_FLASH_UNIT_PAGES)
#define BOARD_FLASH_INVS_PAGE (5u * BOARD_FLASH_UNIT_PAGES)
#define BOARD_FLASH_INVS_SPARE_PAGE (6u * BOARD_FLASH_UNIT_PAGES)
#define BOARD_FLASH_NVS_JOURNAL_PAGE (7u * BOARD_FLASH_UNIT_PAGES)
#define BOARD_FLASH_INVS_JOURNAL_PAGE (8u * BOARD_FLASH_UNIT_PAGES)
#define BOARD_FLASH_SEALED_PAGE (9u * BOARD_FLASH_UNIT_PAGES)

void board_main(void);

/* What every configuration has: the core (kernel, alarm, console, LEDs, low-level debug). */
static struct ns16550 uart0;
static struct clint_alarm timer;
static struct kernel_chip chip;
static struct ram_led led0;
static struct ram_led led1;
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
static struct cfi_flash pflash1;
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
    .spare_page = BOARD_FLASH_INVS_SPARE_PAGE, .has_journal = true,
    .journal_page = BOARD_FLASH_INVS_JOURNAL_PAGE
};
static const struct nonvolatile_storage_config nvs_config = {
    .first_page = 0, .page_count = BOARD_FLASH_UNIT_PAGES, .spare_page = BOARD_FLASH_UNIT_PAGES,
    .has_journal = true, .journal_page = BOARD_FLASH_NVS_JOURNAL_PAGE
};
static const struct kv_store_config kv_config = {
    .first_page = BOARD_FLASH_KV_PAGE, .bank_pages = BOARD_FLASH_UNIT_PAGES
};
static const struct cmd_queue_config storage_queue_config = {
    .now = storage_ticks, .clock_ctx = &timer.alarm, .session_idle_ticks = 0
};
static struct virtio_rng rng_device;
static struct rng_driver rng;
static const uint8_t rng_personalization[] = "tockc qemu_rv32_virt rng";
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
    qemu_virt_reset();
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
    boot_check(cfi_flash_init(&pflash1, BOARD_PFLASH1_BASE, BOARD_PFLASH_INTERLEAVE,
                              STORAGE_PAGE_SIZE),
               "pflash1");
    storage_component_setup(&storage, &kernel, &pflash1.flash, &nvs_config,
                            &storage_queue_config);
    kv_component_setup(&kv, &kernel, &storage.flash_mux, &kv_config, &storage_queue_config);
    app_flash_component_setup(&app_flash, &kernel, &storage_queue_config);
    isolated_storage_component_setup(&invs, &kernel, &storage.flash_mux, &invs_layout,
                                     &storage_queue_config);
    sealed_store_component_setup(&sealed, &kernel, &crypto, &storage.flash_mux, &sealed_region,
                                 &storage_queue_config);
    start_selftests(&storage.flash_mux);
    /* Entropy: the first virtio-rng device on the virtio-mmio slots. Without one (QEMU run
     * without `-device virtio-rng-device`, or with the legacy transport) the RNG driver
     * answers NODEVICE. */
    err_t rng_err = virtio_rng_probe(&rng_device, VIRT_VIRTIO_BASE, VIRT_VIRTIO_SLOTS,
                                     VIRT_VIRTIO_STRIDE, VIRT_IRQ_VIRTIO0);
    if (rng_err == ERR_OK) {
        qemu_virt_chip_add_rng(&chip, &rng_device);
    } else {
        debug_printf("rng: no usable virtio-rng device (%s); random numbers unavailable\n",
                     err_name(rng_err));
    }
    boot_check(rng_driver_init(&rng, &kernel, &rng_device.entropy, &rng_config), "rng");
}

/* Out of line: inlined into board_main it changed how the compiler kept the registers of the
 * rest of boot (the flash set-up loop spilled), which cost more than the call. */
__attribute__((noinline)) static void start_process_console(void)
{
    process_console_component_setup(&process_console, &kernel, &core, "qemu_rv32_virt",
                                    board_reset, console_objects, ARRAY_LEN(console_objects));
}
#endif

static void panic_putc(char c)
{
    ns16550_putc_sync(&uart0, c);
}

/* A kernel panic ends QEMU with a failure status through virt's test finisher; `make run` and
 * the tests see it. */
static void panic_exit(void)
{
    qemu_virt_exit_failure(BOARD_PANIC_EXIT_STATUS);
}

void board_main(void)
{
    debug_set_panic_putc(panic_putc);
    debug_set_panic_exit(panic_exit);
    boot_check(ns16550_init(&uart0, VIRT_UART0_BASE), "uart0");
    clint_alarm_init(&timer);
    ram_led_init(&led0);
    ram_led_init(&led1);
    qemu_virt_chip_init(&chip, &uart0, &timer);

    const struct kernel_config config = core_kernel_config(processes, BOARD_PROCESSES, drivers,
                                                           ARRAY_LEN(drivers), &chip);
    kernel_init(&kernel, &config);
    core_component_setup(&core, &kernel, &uart0.tx, &uart0.rx, &timer.alarm);
    led_driver_init(&led_driver, leds, ARRAY_LEN(leds));
    setup_full_board();
    debug_printf("tockc %u.%u on qemu_rv32_virt (rv32imac)\n", KERNEL_VERSION_MAJOR,
                 KERNEL_VERSION_MINOR);
    start_process_console();
    kernel_load_processes(&kernel);
    kernel_loop(&kernel);
}
