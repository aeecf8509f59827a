/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * AES syscall driver (see capsules/aes.h): setup and crypt run one at a time from a command
 * queue; the session between setup and finish keeps the key and chaining value in the unit.
 *
 * A command's life: command() submits setup (and crypt, for the session's owner) to the queue;
 * start() (from the queue's deferred call) loads the key and IV for a setup, applies the
 * process's current algorithm, then moves the source through the unit one chunk at a time: copy
 * a chunk out of read-only allow 2 into chunk_buf, crypt() it in place, copy the result into
 * read-write allow 0 at the same offset. Every outcome ends in complete(): one upcall, the
 * session ended if a setup failed, the chunk buffer wiped, then cmd_queue_done().
 *
 * Usage: see capsules/aes.h.
 *
 * Invariants:
 *  - phase == CRYPTING exactly while a crypt() of this driver is outstanding, and then chunk is
 *    NULL and the queue has a running command for `pid` (or is_orphaned: it died).
 *  - has_session implies the unit holds session_pid's key and the queue keeps its session. After
 *    finish, the key stays only until the owner's running crypt (if any) completes.
 *  - key[] is all zeros outside load_key_and_iv(); chunk_buf is wiped by complete() and
 *    discard().
 *  - While the session is idle, the session alarm is set for its expiry (capsules/queued_driver.h).
 */
#include "capsules/aes.h"

#include "capsules/driver_num.h"
#include "container.h"
#include "crypto/compare.h"

struct aes_app {
    bool has_algorithm;
    bool is_encrypting;
    uint8_t algorithm; /* AES_DRIVER_ALGORITHM_* */
    bool is_confidential;   /* CCM: the payload is in the MAC (command 8) */
    uint32_t aad_offset;    /* command 5 */
    uint32_t message_offset; /* command 6 */
    uint32_t tag_len;       /* command 7 */
};

struct setting_args {
    struct aes_driver *driver;
    bool is_setup; /* load the key and IV too */
};

struct chunk_args {
    struct aes_driver *driver;
    bool is_first; /* read and check the allows' lengths too */
    err_t status;  /* the command's result, reported with the upcall */
};

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

static bool is_aead(uint32_t algorithm)
{
    return algorithm == AES_DRIVER_ALGORITHM_CCM || algorithm == AES_DRIVER_ALGORITHM_GCM;
}

static bool is_session_owner(const struct aes_driver *d, struct process_id pid)
{
    return d->has_session && process_id_equal(d->session_pid, pid);
}

/* pid's session expired and the queue owes it one CANCEL (reported by its next submit). */
static bool is_session_cancelled(const struct aes_driver *d, struct process_id pid)
{
    if (pid.index >= d->queue.entry_count) {
        return false;
    }
    const struct cmd_queue_entry *e = &d->queue.entries[pid.index];
    return e->state == CMD_QUEUE_CANCELLED && process_id_equal(e->pid, pid);
}

/* Wipe the unit's key and IV and forget the session. The unit must be idle. */
static void end_session(struct aes_driver *d)
{
    err_t ignored = hil_aes_clear(d->aes); /* ERR_OK: nothing is outstanding */
    ignored = hil_aead_clear(d->aead);
    (void)ignored;
    d->has_session = false;
}

/* ---------------------------------------------------------------- completion */

static err_t report_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    const struct chunk_args *args = ctx;
    (void)data;
    /* A full upcall queue drops the event (the kernel counts it), as in Tock. */
    const struct aes_driver *d = args->driver;
    uint32_t bytes = (uint32_t)(d->aead_stage == AES_DRIVER_AEAD_NONE ? d->offset : d->written);
    uint32_t verified = args->status == ERR_OK && d->is_tag_valid ? 1u : 0u;
    err_t ignored = grant_schedule_upcall(kd, AES_DRIVER_SUBSCRIBE_DONE, (uint32_t)args->status,
                                          bytes, verified);
    (void)ignored;
    return ERR_OK;
}

/* The running command is over with `status`: report it and let the queue move on. The unit is
 * idle. A failed setup ends the session; a failed crypt keeps it (the process may retry). */
static void complete(struct aes_driver *d, err_t status)
{
    struct chunk_args args = { .driver = d, .is_first = false, .status = status };
    err_t ignored = grant_enter(&d->grant, d->pid, report_in_grant, &args);
    (void)ignored; /* ERR_INVAL: pid is gone; nobody is left to tell */
    d->completed++;
    d->phase = AES_DRIVER_IDLE;
    bool is_failed_setup = status != ERR_OK && d->command_num == AES_DRIVER_CMD_SETUP;
    if (is_failed_setup || !is_session_owner(d, d->pid)) {
        end_session(d); /* also after finish came while this crypt was running */
        cmd_queue_session_end(&d->queue, d->pid);
    }
    queued_driver_wipe(d->chunk_buf, sizeof d->chunk_buf);
    queued_driver_wipe(d->tag, sizeof d->tag);
    d->aead_stage = AES_DRIVER_AEAD_NONE;
    queued_driver_done(&d->queued);
}

/* The process is gone: drop what the unit produced for it and free the driver. */
static void discard(struct aes_driver *d)
{
    d->phase = AES_DRIVER_IDLE;
    d->is_orphaned = false;
    end_session(d);
    queued_driver_wipe(d->chunk_buf, sizeof d->chunk_buf);
    queued_driver_wipe(d->tag, sizeof d->tag);
    d->aead_stage = AES_DRIVER_AEAD_NONE;
    cmd_queue_done(&d->queue);
}

/* ---------------------------------------------------------------- configuring the unit */

/* Copy exactly 16 bytes of read-only allow n into key[] (the staging buffer). */
static err_t read_block(struct aes_driver *d, struct grant_kernel_data *kd, uint32_t n)
{
    if (grant_ro_len(kd, n) != sizeof d->key) {
        return ERR_SIZE;
    }
    return grant_ro_read(kd, n, 0, d->key, sizeof d->key);
}

static err_t load_key_and_iv(struct aes_driver *d, struct grant_kernel_data *kd,
                             const struct aes_app *app)
{
    err_t err = read_block(d, kd, AES_DRIVER_ALLOW_RO_KEY);
    if (err == ERR_OK) {
        err = hil_aes_set_key(d->aes, d->key, sizeof d->key);
    }
    if (err == ERR_OK && app->algorithm != AES_DRIVER_ALGORITHM_ECB) {
        err = read_block(d, kd, AES_DRIVER_ALLOW_RO_IV);
        if (err == ERR_OK) {
            err = hil_aes_set_iv(d->aes, d->key, sizeof d->key);
        }
    }
    queued_driver_wipe(d->key, sizeof d->key); /* the unit keeps its own copy */
    return err;
}

/* Copy source bytes [from, to) unchanged into the destination (the bytes before the AAD). */
static err_t copy_through(struct aes_driver *d, struct grant_kernel_data *kd, size_t from,
                          size_t to)
{
    for (size_t at = from; at < to; at += AES_DRIVER_CHUNK_LEN) {
        size_t n = min_size(to - at, AES_DRIVER_CHUNK_LEN);
        err_t err = grant_ro_read(kd, AES_DRIVER_ALLOW_RO_SOURCE, at, d->chunk, n);
        if (err == ERR_OK) {
            err = grant_rw_write(kd, AES_DRIVER_ALLOW_RW_DEST, at, d->chunk, n);
        }
        if (err != ERR_OK) {
            return err;
        }
    }
    return ERR_OK;
}

/* A CCM or GCM setup: key, nonce and the message's layout, checked against the allows, then
 * begin() on the AEAD unit; the bytes before the associated data are copied through. */
static err_t configure_aead(struct aes_driver *d, struct grant_kernel_data *kd,
                            const struct aes_app *app)
{
    bool is_ccm = app->algorithm == AES_DRIVER_ALGORITHM_CCM;
    size_t iv_len = grant_ro_len(kd, AES_DRIVER_ALLOW_RO_IV);
    size_t nonce_len = is_ccm ? min_size(iv_len, AES_DRIVER_CCM_NONCE_LEN)
                              : AES_DRIVER_GCM_IV_LEN;
    size_t source_len = grant_ro_len(kd, AES_DRIVER_ALLOW_RO_SOURCE);
    size_t dest_len = grant_rw_len(kd, AES_DRIVER_ALLOW_RW_DEST);
    size_t tag_len = !is_ccm && app->tag_len == 0 ? HIL_AEAD_TAG_MAX : app->tag_len;
    size_t aad_offset = app->aad_offset;
    size_t message_offset = app->message_offset;
    if (iv_len < (is_ccm ? AES_DRIVER_CCM_NONCE_MIN : AES_DRIVER_GCM_IV_LEN)) {
        return ERR_SIZE;
    }
    if (aad_offset > message_offset || message_offset > source_len) {
        return ERR_INVAL;
    }
    size_t payload_end = source_len;
    if (!app->is_encrypting) {
        if (source_len - message_offset < tag_len) {
            return ERR_SIZE; /* no room for the received tag */
        }
        payload_end = source_len - tag_len;
    }
    if (dest_len < payload_end) {
        return ERR_SIZE;
    }
    err_t err = read_block(d, kd, AES_DRIVER_ALLOW_RO_KEY);
    if (err == ERR_OK) {
        err = hil_aead_set_key(d->aead, d->key, sizeof d->key);
    }
    if (err == ERR_OK) {
        err = grant_ro_read(kd, AES_DRIVER_ALLOW_RO_IV, 0, d->key, nonce_len);
    }
    if (err == ERR_OK) {
        const struct hil_aead_message message = {
            .mode = is_ccm ? HIL_AEAD_CCM : HIL_AEAD_GCM,
            .direction = app->is_encrypting ? HIL_AES_ENCRYPT : HIL_AES_DECRYPT,
            .nonce = d->key,
            .nonce_len = nonce_len,
            .aad_len = message_offset - aad_offset,
            .payload_len = payload_end - message_offset,
            .tag_len = tag_len,
            .is_payload_authenticated = app->is_confidential,
        };
        err = hil_aead_begin(d->aead, &message); /* INVAL: a tag length the mode refuses */
    }
    queued_driver_wipe(d->key, sizeof d->key); /* the unit keeps its own copies */
    if (err != ERR_OK) {
        return err;
    }
    d->is_aead_encrypting = app->is_encrypting;
    d->aad_start = aad_offset;
    d->payload_start = message_offset;
    d->payload_end = payload_end;
    d->tag_len = tag_len;
    d->dest_len = dest_len;
    d->offset = aad_offset;
    d->aead_stage = aad_offset < message_offset       ? AES_DRIVER_AEAD_AAD
                    : message_offset < payload_end    ? AES_DRIVER_AEAD_PAYLOAD
                                                      : AES_DRIVER_AEAD_TAG;
    return copy_through(d, kd, 0, aad_offset);
}

static err_t configure_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    const struct aes_app *app = data;
    const struct setting_args *args = ctx;
    struct aes_driver *d = args->driver;
    if (!app->has_algorithm) {
        return ERR_INVAL; /* set_algorithm first */
    }
    if (is_aead(app->algorithm)) {
        if (!args->is_setup) {
            return ERR_INVAL; /* switched to CCM/GCM inside a block-mode session */
        }
        d->session_algorithm = app->algorithm;
        return configure_aead(d, kd, app);
    }
    if (args->is_setup) {
        d->session_algorithm = app->algorithm;
    }
    enum hil_aes_mode mode = HIL_AES_ECB;
    if (app->algorithm == AES_DRIVER_ALGORITHM_CTR) {
        mode = HIL_AES_CTR;
    } else if (app->algorithm == AES_DRIVER_ALGORITHM_CBC) {
        mode = HIL_AES_CBC;
    }
    err_t err = hil_aes_set_mode(d->aes, mode, app->is_encrypting ? HIL_AES_ENCRYPT
                                                                   : HIL_AES_DECRYPT);
    if (err == ERR_OK && args->is_setup) {
        err = load_key_and_iv(d, kd, app);
    }
    return err;
}

/* ---------------------------------------------------------------- moving data */

static err_t copy_chunk_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct chunk_args *args = ctx;
    struct aes_driver *d = args->driver;
    const struct aes_app *app = data;
    if (args->is_first) {
        d->len = grant_ro_len(kd, AES_DRIVER_ALLOW_RO_SOURCE);
        if (grant_rw_len(kd, AES_DRIVER_ALLOW_RW_DEST) < d->len) {
            return ERR_SIZE;
        }
        if (app->algorithm != AES_DRIVER_ALGORITHM_CTR && d->len % HIL_AES_BLOCK_LEN != 0) {
            return ERR_SIZE;
        }
    }
    d->chunk_len = min_size(d->len - d->offset, AES_DRIVER_CHUNK_LEN);
    if (d->chunk_len == 0) {
        return ERR_OK;
    }
    /* ERR_SIZE when the allow shrank under the command */
    return grant_ro_read(kd, AES_DRIVER_ALLOW_RO_SOURCE, d->offset, d->chunk, d->chunk_len);
}

/* Crypt the next chunk, or report once the source is used up. Reports failures itself. */
static void feed(struct aes_driver *d, bool is_first)
{
    struct chunk_args args = { .driver = d, .is_first = is_first, .status = ERR_OK };
    err_t err = grant_enter(&d->grant, d->pid, copy_chunk_in_grant, &args);
    if (err != ERR_OK) {
        complete(d, err);
        return;
    }
    if (d->chunk_len == 0) {
        complete(d, ERR_OK);
        return;
    }
    err = hil_aes_crypt(d->aes, d->chunk, d->chunk, d->chunk_len);
    if (err != ERR_OK) {
        complete(d, err);
        return;
    }
    d->chunk = NULL;
    d->phase = AES_DRIVER_CRYPTING;
}

static err_t store_chunk_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct aes_driver *d = ctx;
    (void)data;
    /* ERR_SIZE when the destination shrank under the command */
    return grant_rw_write(kd, AES_DRIVER_ALLOW_RW_DEST, d->offset, d->chunk, d->chunk_len);
}

/* ---------------------------------------------------------------- AEAD messages */

static err_t read_aead_chunk_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct aes_driver *d = ctx;
    (void)data;
    /* ERR_SIZE when the allow shrank under the command */
    return grant_ro_read(kd, AES_DRIVER_ALLOW_RO_SOURCE, d->offset, d->chunk, d->chunk_len);
}

/* The next piece of the message: associated data, payload or the tag. Reports failures. */
static void feed_aead(struct aes_driver *d)
{
    err_t err = ERR_OK;
    if (d->aead_stage == AES_DRIVER_AEAD_TAG) {
        err = hil_aead_finish(d->aead, d->tag);
    } else {
        size_t end = d->aead_stage == AES_DRIVER_AEAD_AAD ? d->payload_start : d->payload_end;
        d->chunk_len = min_size(end - d->offset, AES_DRIVER_CHUNK_LEN);
        err = grant_enter(&d->grant, d->pid, read_aead_chunk_in_grant, d);
        if (err == ERR_OK && d->aead_stage == AES_DRIVER_AEAD_AAD) {
            err = hil_aead_add_aad(d->aead, d->chunk, d->chunk_len);
        } else if (err == ERR_OK) {
            err = hil_aead_crypt(d->aead, d->chunk, d->chunk, d->chunk_len);
        }
        if (err == ERR_OK) {
            d->chunk = NULL;
        }
    }
    if (err != ERR_OK) {
        complete(d, err);
        return;
    }
    d->phase = AES_DRIVER_CRYPTING;
}

/* A piece came back from the unit: it goes to the destination at its own offset. */
static void piece_done(struct aes_driver *d, err_t status)
{
    d->chunk = d->chunk_buf;
    d->phase = AES_DRIVER_IDLE;
    if (d->is_orphaned) {
        discard(d);
        return;
    }
    if (status == ERR_OK) {
        status = grant_enter(&d->grant, d->pid, store_chunk_in_grant, d);
    }
    if (status != ERR_OK) {
        complete(d, status);
        return;
    }
    d->offset += d->chunk_len;
    if (d->aead_stage == AES_DRIVER_AEAD_AAD && d->offset == d->payload_start) {
        d->aead_stage = d->payload_start < d->payload_end ? AES_DRIVER_AEAD_PAYLOAD
                                                          : AES_DRIVER_AEAD_TAG;
    } else if (d->aead_stage == AES_DRIVER_AEAD_PAYLOAD && d->offset == d->payload_end) {
        d->aead_stage = AES_DRIVER_AEAD_TAG;
    }
    feed_aead(d);
}

static void aad_done(struct hil_aead_client *client, err_t status)
{
    piece_done(CONTAINER_OF(client, struct aes_driver, aead_client), status);
}

static void payload_done(struct hil_aead_client *client, uint8_t *dst, size_t len, err_t status)
{
    (void)dst;
    (void)len;
    piece_done(CONTAINER_OF(client, struct aes_driver, aead_client), status);
}

/* Encrypting: append as much of the tag as the destination holds. Decrypting: compare it with
 * the received tag at the end of the source, in constant time. */
static err_t tag_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct aes_driver *d = ctx;
    (void)data;
    if (d->is_aead_encrypting) {
        size_t n = min_size(d->tag_len, d->dest_len - d->payload_end);
        d->written = d->payload_end + n;
        d->is_tag_valid = true;
        return n == 0 ? ERR_OK : grant_rw_write(kd, AES_DRIVER_ALLOW_RW_DEST, d->payload_end,
                                                d->tag, n);
    }
    uint8_t received[HIL_AEAD_TAG_MAX];
    err_t err = grant_ro_read(kd, AES_DRIVER_ALLOW_RO_SOURCE, d->payload_end, received,
                              d->tag_len);
    d->written = d->payload_end;
    d->is_tag_valid = err == ERR_OK && crypto_equal(received, d->tag, d->tag_len);
    queued_driver_wipe(received, sizeof received);
    return err;
}

static void tag_done(struct hil_aead_client *client, uint8_t *tag, err_t status)
{
    struct aes_driver *d = CONTAINER_OF(client, struct aes_driver, aead_client);
    (void)tag;
    d->phase = AES_DRIVER_IDLE;
    if (d->is_orphaned) {
        discard(d);
        return;
    }
    if (status == ERR_OK) {
        status = grant_enter(&d->grant, d->pid, tag_in_grant, d);
    }
    complete(d, status);
}

/* ---------------------------------------------------------------- queue and HIL clients */

static void start(struct cmd_queue *queue, struct process_id pid,
                  const struct cmd_queue_command *command)
{
    struct aes_driver *d = CONTAINER_OF(queue, struct aes_driver, queue);
    d->pid = pid;
    d->command_num = command->command_num;
    d->len = 0;
    d->offset = 0;
    d->chunk_len = 0;
    d->is_orphaned = false;
    d->aead_stage = AES_DRIVER_AEAD_NONE;
    d->written = 0;
    d->is_tag_valid = false;
    bool is_setup = d->command_num == AES_DRIVER_CMD_SETUP;
    if (!is_setup && !is_session_owner(d, pid)) {
        complete(d, ERR_OFF); /* finish ended the session before this crypt started */
        return;
    }
    if (is_setup) {
        err_t err = queued_driver_session_begin(&d->queued, pid);
        if (err != ERR_OK) {
            complete(d, err); /* ERR_NOSUPPORT: the board configured no sessions */
            return;
        }
        d->has_session = true; /* a setup inside the session reloads key and IV */
        d->session_pid = pid;
    }
    struct setting_args args = { .driver = d, .is_setup = is_setup };
    err_t err = grant_enter(&d->grant, pid, configure_in_grant, &args);
    if (err != ERR_OK) {
        complete(d, err);
        return;
    }
    if (d->aead_stage != AES_DRIVER_AEAD_NONE) {
        feed_aead(d);
        return;
    }
    feed(d, true);
}

static void abort_command(struct cmd_queue *queue, struct process_id pid,
                          enum cmd_queue_abort_reason reason)
{
    struct aes_driver *d = CONTAINER_OF(queue, struct aes_driver, queue);
    (void)pid;
    (void)reason;
    if (d->phase != AES_DRIVER_IDLE) {
        d->is_orphaned = true; /* EXITED mid-crypt: its crypt_done discards and calls done */
        return;
    }
    end_session(d); /* a session between commands: nothing is running, no done is due */
}

static void crypt_done(struct hil_aes_client *client, uint8_t *dst, size_t len, err_t status)
{
    struct aes_driver *d = CONTAINER_OF(client, struct aes_driver, aes_client);
    (void)len;
    d->chunk = dst;
    if (d->is_orphaned) {
        discard(d);
        return;
    }
    if (status != ERR_OK) {
        complete(d, status);
        return;
    }
    err_t err = grant_enter(&d->grant, d->pid, store_chunk_in_grant, d);
    if (err != ERR_OK) {
        complete(d, err);
        return;
    }
    d->offset += d->chunk_len;
    feed(d, false);
}

/* ---------------------------------------------------------------- syscalls */

struct algorithm_args {
    uint32_t algorithm;
    uint32_t is_encrypting;
};

static err_t set_algorithm_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct aes_app *app = data;
    const struct algorithm_args *args = ctx;
    (void)kd;
    switch (args->algorithm) {
    case AES_DRIVER_ALGORITHM_CTR:
    case AES_DRIVER_ALGORITHM_CBC:
    case AES_DRIVER_ALGORITHM_ECB:
    case AES_DRIVER_ALGORITHM_CCM:
    case AES_DRIVER_ALGORITHM_GCM:
        app->algorithm = (uint8_t)args->algorithm;
        app->is_encrypting = args->is_encrypting != 0;
        app->has_algorithm = true;
        return ERR_OK;
    default:
        return ERR_NOSUPPORT;
    }
}

struct parameter_args {
    uint32_t command_num;
    uint32_t value;
};

static err_t set_parameter_in_grant(void *data, struct grant_kernel_data *kd, void *ctx)
{
    struct aes_app *app = data;
    const struct parameter_args *args = ctx;
    (void)kd;
    switch (args->command_num) {
    case AES_DRIVER_CMD_AAD_OFFSET:
        app->aad_offset = args->value;
        return ERR_OK;
    case AES_DRIVER_CMD_MESSAGE_OFFSET:
        app->message_offset = args->value;
        return ERR_OK;
    case AES_DRIVER_CMD_TAG_LEN:
        if (args->value > HIL_AEAD_TAG_MAX) {
            return ERR_INVAL;
        }
        app->tag_len = args->value;
        return ERR_OK;
    default: /* AES_DRIVER_CMD_CONFIDENTIAL */
        app->is_confidential = args->value != 0;
        return ERR_OK;
    }
}

/* Finish: end pid's session now, or once its running crypt completes. */
static err_t finish(struct aes_driver *d, struct process_id pid)
{
    d->has_session = false;
    cmd_queue_session_end(&d->queue, pid);
    if (d->phase == AES_DRIVER_IDLE) {
        end_session(d);
    }
    return ERR_OK;
}

static struct syscall_return
aes_command_result(struct syscall_driver *driver, uint32_t command_num, uint32_t arg0,
                   uint32_t arg1, struct process_id pid)
{
    struct aes_driver *d = CONTAINER_OF(driver, struct aes_driver, driver);
    const struct cmd_queue_command command = { command_num, arg0, arg1 };
    switch (command_num) {
    case AES_DRIVER_CMD_EXISTS:
        return syscall_success();
    case AES_DRIVER_CMD_SET_ALGORITHM: {
        struct algorithm_args args = { .algorithm = arg0, .is_encrypting = arg1 };
        return syscall_from_err(grant_enter(&d->grant, pid, set_algorithm_in_grant, &args));
    }
    case AES_DRIVER_CMD_SETUP:
        return syscall_from_err(cmd_queue_submit(&d->queue, pid, &command));
    case AES_DRIVER_CMD_CRYPT:
    case AES_DRIVER_CMD_FINISH:
        if (is_session_cancelled(d, pid)) {
            /* The queue reports the expiry (ERR_CANCEL) once and queues nothing. */
            return syscall_from_err(cmd_queue_submit(&d->queue, pid, &command));
        }
        if (!is_session_owner(d, pid)) {
            return syscall_failure(ERR_OFF); /* no session: setup first */
        }
        if (command_num == AES_DRIVER_CMD_FINISH) {
            return syscall_from_err(finish(d, pid));
        }
        if (is_aead(d->session_algorithm)) {
            return syscall_failure(ERR_INVAL); /* a CCM/GCM message is whole after setup */
        }
        return syscall_from_err(cmd_queue_submit(&d->queue, pid, &command));
    case AES_DRIVER_CMD_AAD_OFFSET:
    case AES_DRIVER_CMD_MESSAGE_OFFSET:
    case AES_DRIVER_CMD_TAG_LEN:
    case AES_DRIVER_CMD_CONFIDENTIAL: {
        struct parameter_args args = { .command_num = command_num, .value = arg0 };
        return syscall_from_err(grant_enter(&d->grant, pid, set_parameter_in_grant, &args));
    }
    default:
        return syscall_failure(ERR_NOSUPPORT);
    }
}

static void aes_command(struct syscall_driver *driver, uint32_t *regs, struct process_id pid)
{
    syscall_command_run(aes_command_result, driver, regs, pid);
}

static const struct syscall_driver_ops aes_driver_ops = { .command = aes_command };
static const struct hil_aes_client_ops aes_client_ops = { .crypt_done = crypt_done };
static const struct hil_aead_client_ops aead_client_ops = {
    .aad_done = aad_done,
    .crypt_done = payload_done,
    .tag_done = tag_done,
};
static const struct cmd_queue_ops aes_queue_ops = {
    .start = start,
    .abort = abort_command,
};

err_t aes_driver_init(struct aes_driver *driver, struct hil_aes *aes, struct hil_aead *aead,
                      struct hil_alarm *session_alarm, struct kernel *k,
                      const struct cmd_queue_config *queue_config,
                      struct cmd_queue_entry *entries, uint32_t entry_count)
{
    *driver = (struct aes_driver){
        .driver = { .ops = &aes_driver_ops, .grant = &driver->grant,
                    .shares_read_write = false },
        .aes_client = { .ops = &aes_client_ops },
        .aead_client = { .ops = &aead_client_ops },
        .aes = aes,
        .aead = aead,
        .session_algorithm = AES_DRIVER_ALGORITHM_CTR,
        .aead_stage = AES_DRIVER_AEAD_NONE,
        .has_session = false,
        .session_pid = { 0, 0 },
        .pid = { 0, 0 },
        .command_num = 0,
        .phase = AES_DRIVER_IDLE,
        .is_orphaned = false,
        .chunk = driver->chunk_buf,
        .completed = 0,
    };
    hil_aes_set_client(aes, &driver->aes_client);
    hil_aead_set_client(aead, &driver->aead_client);
    err_t err = queued_driver_init(&driver->queued, session_alarm, &driver->queue, &aes_queue_ops,
                                   queue_config, entries, entry_count);
    if (err != ERR_OK) {
        return err;
    }
    const struct grant_config grant_config = {
        .driver_num = AES_DRIVER_NUM,
        .data_size = sizeof(struct aes_app),
        .data_align = _Alignof(struct aes_app),
        .upcalls = 1,
        /* Every subscribe is a queued request's completion: latched (record 030), so a
         * process that floods its own upcall ring cannot lose it. */
        .latched_upcalls = 0x1u,
        .read_only = 3,
        .read_write = 1,
        .userspace_readable = 0,
    };
    return grant_create(&driver->grant, k, &grant_config);
}
