/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * chatter: print long lines as fast as possible, so that two or more copies loaded together
 * stress the console's promise that one write is never interleaved with another's.
 *
 * Each copy picks a letter from its RAM address (memop 2), so copies differ, and prints
 * `<letter>:` followed by 120 copies of the letter, 40 times, then `chatter <letter>: done`.
 * A line mixing letters means two writes were interleaved.
 *
 * Invariants: each line is one printf, which the libc sends as one console write.
 */
#include <stdint.h>
#include <stdio.h>

#include <libtock/tock.h>

enum { LINE_LETTERS = 120, LINES = 40, MEMOP_MEMORY_START = 2 };

int main(void)
{
    memop_return_t start = memop(MEMOP_MEMORY_START, 0);
    char letter = (char)('A' + (((start.data >> 12) ^ (start.data >> 16)) % 8u));
    char line[LINE_LETTERS + 1];
    for (int i = 0; i < LINE_LETTERS; i++) {
        line[i] = letter;
    }
    line[LINE_LETTERS] = '\0';
    for (int n = 0; n < LINES; n++) {
        printf("%c:%s\n", letter, line);
    }
    printf("chatter %c: done\n", letter);
    return 0;
}
