/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Line editor (see capsules/line_editor.h): one byte at a time, no buffer beyond the line and
 * a ring of LINE_EDITOR_HISTORY lines.
 *
 * Usage: see capsules/line_editor.h.
 *
 * Invariants: see capsules/line_editor.h; every path that changes what the terminal shows
 * echoes exactly that change (when echo is on).
 */
#include "capsules/line_editor.h"

#define KEY_CTRL_C 0x03u
#define KEY_BACKSPACE 0x08u
#define KEY_LF 0x0Au
#define KEY_CR 0x0Du
#define KEY_ESC 0x1Bu
#define KEY_DEL 0x7Fu

static void echo(struct line_editor *ed, const char *text, size_t len)
{
    if (ed->is_echo_on) {
        ed->echo(ed->echo_ctx, text, len);
    }
}

static bool is_printable(uint8_t byte)
{
    return byte >= 0x20u && byte < 0x7Fu;
}

static bool strings_equal(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static void erase_shown(struct line_editor *ed)
{
    for (; ed->len > 0; ed->len--) {
        echo(ed, "\b \b", 3);
    }
}

/* The n-th newest entry (1 = the newest); n <= history_count. */
static const char *history_entry(const struct line_editor *ed, uint32_t n)
{
    uint32_t index = (ed->history_newest + LINE_EDITOR_HISTORY - (n - 1u)) % LINE_EDITOR_HISTORY;
    return ed->history[index];
}

/* Show the recall-th newest entry (0: an empty line) in place of the line. */
static void show_recalled(struct line_editor *ed, uint32_t recall)
{
    erase_shown(ed);
    ed->recall = recall;
    const char *entry = recall == 0 ? "" : history_entry(ed, recall);
    while (entry[ed->len] != '\0') {
        ed->line[ed->len] = entry[ed->len];
        ed->len++;
    }
    ed->line[ed->len] = '\0';
    echo(ed, ed->line, ed->len);
}

static void remember(struct line_editor *ed)
{
    if (ed->len == 0 ||
        (ed->history_count > 0 && strings_equal(ed->line, history_entry(ed, 1)))) {
        return;
    }
    ed->history_newest = (ed->history_newest + 1u) % LINE_EDITOR_HISTORY;
    char *slot = ed->history[ed->history_newest];
    for (uint32_t i = 0; i <= ed->len; i++) {
        slot[i] = ed->line[i];
    }
    if (ed->history_count < LINE_EDITOR_HISTORY) {
        ed->history_count++;
    }
}

/* The line is complete: hand it out and start the next one. */
static char *finish(struct line_editor *ed)
{
    ed->line[ed->len] = '\0';
    echo(ed, "\n", 1);
    remember(ed);
    ed->len = 0;
    ed->recall = 0;
    return ed->line;
}

/* A byte of an escape sequence; true if it was one (else the sequence was abandoned and the
 * byte is an ordinary one). */
static bool take_escape(struct line_editor *ed, uint8_t byte)
{
    if (ed->escape == LINE_EDITOR_ESCAPE_START) {
        ed->escape = byte == '[' || byte == 'O' ? LINE_EDITOR_ESCAPE_CSI
                                                : LINE_EDITOR_ESCAPE_NONE;
        return true; /* ESC followed by anything else: both dropped */
    }
    if (byte < 0x20u || byte > 0x7Eu) {
        ed->escape = LINE_EDITOR_ESCAPE_NONE; /* not part of a sequence: abandon it */
        return false;
    }
    if (byte < 0x40u) {
        return true; /* parameter or intermediate byte */
    }
    ed->escape = LINE_EDITOR_ESCAPE_NONE;
    if (byte == 'A' && ed->recall < ed->history_count) {
        show_recalled(ed, ed->recall + 1u);
    } else if (byte == 'B' && ed->recall > 0) {
        show_recalled(ed, ed->recall - 1u);
    }
    return true;
}

void line_editor_init(struct line_editor *editor, line_editor_echo_fn *echo_fn, void *echo_ctx)
{
    /* Field by field: the line and the history are written before they are read (len and
     * history_count say how much holds anything), so they are not zeroed at every boot. */
    editor->len = 0;
    editor->escape = LINE_EDITOR_ESCAPE_NONE;
    editor->is_after_cr = false;
    editor->is_echo_on = true;
    editor->recall = 0;
    editor->history_count = 0;
    editor->history_newest = LINE_EDITOR_HISTORY - 1u;
    editor->echo = echo_fn;
    editor->echo_ctx = echo_ctx;
}

void line_editor_set_echo(struct line_editor *editor, bool is_on)
{
    editor->is_echo_on = is_on;
}

char *line_editor_feed(struct line_editor *ed, uint8_t byte)
{
    bool was_after_cr = ed->is_after_cr;
    ed->is_after_cr = false;
    if (ed->escape != LINE_EDITOR_ESCAPE_NONE && take_escape(ed, byte)) {
        return NULL;
    }
    if (byte == KEY_CR) {
        ed->is_after_cr = true;
        return finish(ed);
    }
    if (byte == KEY_LF) {
        return was_after_cr ? NULL : finish(ed);
    }
    if (byte == KEY_CTRL_C) {
        echo(ed, "^C", 2);
        ed->len = 0;
        return finish(ed);
    }
    if (byte == KEY_BACKSPACE || byte == KEY_DEL) {
        if (ed->len > 0) {
            ed->len--;
            echo(ed, "\b \b", 3);
        }
        return NULL;
    }
    if (byte == KEY_ESC) {
        ed->escape = LINE_EDITOR_ESCAPE_START;
        return NULL;
    }
    if (is_printable(byte) && ed->len < LINE_EDITOR_MAX) {
        ed->line[ed->len++] = (char)byte;
        echo(ed, &ed->line[ed->len - 1u], 1);
    }
    return NULL;
}
