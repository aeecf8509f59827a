/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Digest syscall driver core (see capsules/digest_driver.h): SHA and HMAC commands run one at a
 * time from a command queue, data copied from process allows in bounded chunks.
 *
 * An operation's life: the protocol's command() (sha.c, hmac.c) submits it to the queue; start()
 * (from the queue's deferred call) opens the message if none is open -- set_mode, with the HMAC
 * key copied out of read-only allow 0 -- then feeds the data allow to the digest unit one chunk
 * per add_data(); when the data is
 * used up it either reports (update) or calls finish() and writes or compares the digest (run,
 * finish, verify). Every outcome ends in complete(): one upcall, the message closed unless the
 * session continues, the staging buffers wiped, then cmd_queue_done(). A failure anywhere closes
 * the message, so a session never continues from a half-added chunk.
 *
 * Usage: see capsules/sha.h and capsules/hmac.h.
 *
 * Invariants:
 *  - phase != IDLE exactly while an add_data() or finish() of this driver is outstanding; then
 *    the queue has a running command and `pid` is its process (or is_orphaned: it died).
 *  - chunk == NULL exactly while phase == ADDING.
 *  - is_message_open implies the unit holds pid's message and the queue keeps pid's session.
 *  - key[] is all zeros outside open_message(); chunk_buf and out are wiped by complete() and
 *    discard().
 *  - While pid's session is idle, the session alarm is set for its expiry
 *    (capsules/queued_driver.h).
 */
#include "capsules/digest_driver.h"

#include "container.h"

struct chunk_args {
    struct digest_driver *driver;
    bool is_first; /* read the allow's length too */
    size_t len;    /* out: bytes copied into chunk */
};

struct result_args {
    struct digest_driver *driver;
    err_t status;
};

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

static bool is_verify(uint32_t command_num)
{
    return command_num == DIGEST_DRIVER_CMD_VERIFY ||
           command_num == DIGEST_DRIVER_CMD_VERIFY_FINISH;
}

static bool adds_data(uint32_t command_num)
{
    return command_num == DIGEST_DRIVER_CMD_RUN || command_num == DIGEST_DRIVER_CMD_UPDATE ||
           command_num == DIGEST_DRIVER_CMD_VERIFY;
}

/* Forget the message: the unit drops it and wipes the key. The unit must be idle. */
static void close_message(struct digest_driver *d)
{
    err_t ignored = hil_digest_clear(d->digest); /* ERR_OK: nothing is outstanding */
    (void)ignored;
    d->is_message_open = false;
}

static void wipe_staging(struct digest_driver *d)
{
    queued_driver_wipe(d->chunk_buf, sizeof d->chunk_buf);
    queued_driver_wipe(d->out, sizeof d->out);
}

/* ---------------------------------------------------------------- completion */

/* Constant-time comparison of the digest with the compare allow. */
static err_t compare_digest(const struct digest_driver *d, struct grant_kernel_data *kd,
                            bool *is_equal)
{
    uint8_t expected[HIL_DIGEST_SHA256_LEN];
    if (grant_ro_len(kd, DIGEST_DRIVER_ALLOW_RO_COMPARE) != sizeof expected) {
        return ERR_SIZE;
    }
    err_t err = grant_ro_read(kd, DIGEST_DRIVER_ALLOW_RO_COMPARE, 0, expected, sizeof expected);
    if (err != ERR_OK) {
        return err;
    }
    uint8_t difference = 0;
    for (size_t i = 0; i < sizeof expected; i++) {
        difference |= (uint8_t)(expected[i] ^ d->out[i]);
    }
    *is_equal = difference == 0;
    return ERR_OK;
}

/* Inside pid's grant: deliver the digest (or the verdict) and the upcall. */
static err_t report_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct result_args *args = ctx;
    struct digest_driver *d = args->driver;
    (void)data;
    err_t status = args->status;
    bool is_equal = false;
    bool has_digest = status == ERR_OK && d->command_num != DIGEST_DRIVER_CMD_UPDATE;
    if (has_digest && is_verify(d->command_num)) {
        status = compare_digest(d, kd, &is_equal);
    } else if (has_digest) {
        size_t dest_len = grant_rw_len(kd, d->config->allow_rw_dest);
        size_t len = min_size(dest_len, sizeof d->out);
        bool fits = d->config->is_dest_exact ? dest_len == sizeof d->out : len > 0;
        status = !fits ? ERR_NOMEM
                       : grant_rw_write(kd, d->config->allow_rw_dest, 0, d->out, len);
    }
    uint32_t subscribe_num = is_verify(d->command_num) ? DIGEST_DRIVER_SUBSCRIBE_VERIFY
                                                       : DIGEST_DRIVER_SUBSCRIBE_DIGEST;
    /* A full upcall queue drops the event (the kernel counts it), as in Tock. */
    err_t ignored = grant_schedule_upcall(kd, subscribe_num, (uint32_t)status,
                                          is_equal ? 1u : 0u, 0);
    (void)ignored;
    return ERR_OK;
}

/* The running command is over with `status`: report it, close the message unless an update
 * succeeded, and let the queue move on. The unit is idle. */
static void complete(struct digest_driver *d, err_t status)
{
    struct result_args args = { .driver = d, .status = status };
    /* ERR_INVAL: pid died since start() (the exit hook then set is_orphaned, so this is only
     * reached for a death the queue has not reported yet); nobody is left to tell. */
    err_t ignored = grant_enter(&d->grant, d->pid, report_in_grant, &args);
    (void)ignored;
    d->completed++;
    d->phase = DIGEST_DRIVER_IDLE;
    bool is_session_continuing = status == ERR_OK && d->command_num == DIGEST_DRIVER_CMD_UPDATE;
    if (!is_session_continuing) {
        close_message(d);
        cmd_queue_session_end(&d->queue, d->pid);
    }
    wipe_staging(d);
    queued_driver_done(&d->queued);
}

/* The process is gone: drop what the unit produced for it and free the driver. */
static void discard(struct digest_driver *d)
{
    d->phase = DIGEST_DRIVER_IDLE;
    d->is_orphaned = false;
    close_message(d);
    wipe_staging(d);
    cmd_queue_done(&d->queue);
}

/* ---------------------------------------------------------------- feeding the unit */

static err_t copy_chunk_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct chunk_args *args = ctx;
    struct digest_driver *d = args->driver;
    (void)data;
    if (args->is_first) {
        d->data_len = adds_data(d->command_num) ? grant_ro_len(kd, d->config->allow_ro_data)
                                                : 0;
    }
    args->len = min_size(d->data_len - d->data_offset, DIGEST_DRIVER_CHUNK_LEN);
    if (args->len == 0) {
        return ERR_OK;
    }
    /* ERR_SIZE when the allow shrank under the command */
    return grant_ro_read(kd, d->config->allow_ro_data, d->data_offset, d->chunk, args->len);
}

/* Add the next chunk, or move on once the data is used up. Reports failures itself. */
static void feed(struct digest_driver *d, bool is_first)
{
    struct chunk_args args = { .driver = d, .is_first = is_first, .len = 0 };
    err_t err = grant_enter(&d->grant, d->pid, copy_chunk_in_grant, &args);
    if (err != ERR_OK) {
        complete(d, err);
        return;
    }
    if (args.len > 0) {
        err = hil_digest_add_data(d->digest, d->chunk, args.len);
        if (err == ERR_OK) {
            d->chunk = NULL;
            d->phase = DIGEST_DRIVER_ADDING;
            return;
        }
        complete(d, err);
        return;
    }
    if (d->command_num == DIGEST_DRIVER_CMD_UPDATE) {
        complete(d, ERR_OK); /* the message stays open for the next command */
        return;
    }
    err = hil_digest_finish(d->digest, d->out);
    if (err == ERR_OK) {
        d->phase = DIGEST_DRIVER_FINISHING;
        return;
    }
    complete(d, err);
}

struct key_args {
    struct digest_driver *driver;
    size_t len; /* out */
};

static err_t read_key_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct key_args *args = ctx;
    (void)data;
    args->len = grant_ro_len(kd, DIGEST_DRIVER_ALLOW_RO_KEY);
    if (args->len > DIGEST_DRIVER_KEY_MAX) {
        return ERR_SIZE;
    }
    return grant_ro_read(kd, DIGEST_DRIVER_ALLOW_RO_KEY, 0, args->driver->key, args->len);
}

/* Start a new message in the unit: SHA-256, or HMAC keyed with read-only allow 0. */
static err_t open_message(struct digest_driver *d)
{
    if (d->config->mode != HIL_DIGEST_HMAC_SHA256) {
        return hil_digest_set_mode(d->digest, d->config->mode, NULL, 0);
    }
    struct key_args args = { .driver = d, .len = 0 };
    err_t err = grant_enter(&d->grant, d->pid, read_key_in_grant, &args);
    if (err == ERR_OK) {
        err = hil_digest_set_mode(d->digest, HIL_DIGEST_HMAC_SHA256, d->key, args.len);
    }
    queued_driver_wipe(d->key, sizeof d->key); /* the unit keeps its own copy */
    return err;
}

/* ---------------------------------------------------------------- queue and HIL clients */

static void start(struct cmd_queue *queue, struct process_id pid,
                  const struct cmd_queue_command *command)
{
    struct digest_driver *d = CONTAINER_OF(queue, struct digest_driver, queue);
    d->pid = pid;
    d->command_num = command->command_num;
    d->data_len = 0;
    d->data_offset = 0;
    d->is_orphaned = false;
    if (!d->is_message_open) {
        err_t err = open_message(d);
        if (err != ERR_OK) {
            complete(d, err);
            return;
        }
        d->is_message_open = true;
    }
    if (d->command_num == DIGEST_DRIVER_CMD_UPDATE) {
        err_t err = queued_driver_session_begin(&d->queued, pid);
        if (err != ERR_OK) {
            complete(d, err); /* ERR_NOSUPPORT: the board configured no sessions */
            return;
        }
    }
    feed(d, true);
}

static void abort_command(struct cmd_queue *queue, struct process_id pid,
                          enum cmd_queue_abort_reason reason)
{
    struct digest_driver *d = CONTAINER_OF(queue, struct digest_driver, queue);
    (void)pid;
    (void)reason;
    if (d->phase != DIGEST_DRIVER_IDLE) {
        d->is_orphaned = true; /* EXITED mid-operation: its callback discards and calls done */
        return;
    }
    close_message(d); /* a session between commands: nothing is running, no done is due */
    wipe_staging(d);
}

static void add_data_done(struct hil_digest_client *client, const uint8_t *buf, size_t len,
                          err_t status)
{
    struct digest_driver *d = CONTAINER_OF(client, struct digest_driver, digest_client);
    (void)buf;
    d->chunk = d->chunk_buf;
    if (d->is_orphaned) {
        discard(d);
        return;
    }
    if (status != ERR_OK) {
        complete(d, status);
        return;
    }
    d->data_offset += len;
    feed(d, false);
}

static void hash_done(struct hil_digest_client *client, uint8_t *out, err_t status)
{
    struct digest_driver *d = CONTAINER_OF(client, struct digest_driver, digest_client);
    (void)out;
    if (d->is_orphaned) {
        discard(d);
        return;
    }
    complete(d, status);
}

/* ---------------------------------------------------------------- syscalls */

err_t digest_driver_submit(struct digest_driver *driver, struct process_id pid,
                           uint32_t operation)
{
    const struct cmd_queue_command command = { operation, 0, 0 };
    return cmd_queue_submit(&driver->queue, pid, &command);
}

static const struct hil_digest_client_ops digest_client_ops = {
    .add_data_done = add_data_done,
    .hash_done = hash_done,
};
static const struct cmd_queue_ops digest_queue_ops = {
    .start = start,
    .abort = abort_command,
};

err_t digest_driver_init(struct digest_driver *driver, const struct digest_driver_config *config,
                         struct hil_digest *digest, struct hil_alarm *session_alarm,
                         struct kernel *k,
                         const struct cmd_queue_config *queue_config,
                         struct cmd_queue_entry *entries, uint32_t entry_count)
{
    *driver = (struct digest_driver){
        .driver = { .ops = config->ops, .grant = &driver->grant,
                    .shares_read_write = false },
        .digest_client = { .ops = &digest_client_ops },
        .digest = digest,
        .config = config,
        .pid = { 0, 0 },
        .command_num = 0,
        .phase = DIGEST_DRIVER_IDLE,
        .is_message_open = false,
        .is_orphaned = false,
        .chunk = driver->chunk_buf,
        .completed = 0,
    };
    hil_digest_set_client(digest, &driver->digest_client);
    err_t err = queued_driver_init(&driver->queued, session_alarm, &driver->queue,
                                   &digest_queue_ops, queue_config, entries, entry_count);
    if (err != ERR_OK) {
        return err;
    }
    const struct grant_config grant_config = {
        .driver_num = config->driver_num,
        .data_size = 0,
        .data_align = 1,
        .upcalls = config->upcalls,
        /* Every subscribe is a queued request's completion: latched (record 030), so a
         * process that floods its own upcall ring cannot lose it. */
        .latched_upcalls = config->upcalls >= 32u ? 0xFFFFFFFFu : (1u << config->upcalls) - 1u,
        .read_only = config->read_only,
        .read_write = config->read_write,
        .userspace_readable = 0,
    };
    return grant_create(&driver->grant, k, &grant_config);
}
