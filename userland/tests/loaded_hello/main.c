/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * loaded_hello: the app the app loader tests install at runtime (embedded in app_loader_test,
 * packed with a SHA-256 credential so a tampered copy is refused under every policy).
 *
 * Expected output, once, then it exits:
 *   loaded_hello: running, loaded at runtime
 *
 * Usage: not booted itself; userland/userland.mk embeds its TBF in app_loader_test.
 *
 * Invariants: none.
 */
#include <stdio.h>

int main(void)
{
    printf("loaded_hello: running, loaded at runtime\n");
    return 0;
}
