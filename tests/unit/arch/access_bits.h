/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * What an access check answers: a bit set per kind of access allowed at one byte address.
 */
#pragma once

#define ACCESS_R 0x1u
#define ACCESS_W 0x2u
#define ACCESS_X 0x4u
#define ACCESS_RW (ACCESS_R | ACCESS_W)
#define ACCESS_RX (ACCESS_R | ACCESS_X)
#define ACCESS_RWX (ACCESS_R | ACCESS_W | ACCESS_X)
