/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * AES (driver 0x40006) system calls.
 *
 * Usage: see aes_syscalls.h.
 *
 * Invariants: none.
 */
#include "aes_syscalls.h"

enum {
    AES_UPCALL = 0,
    AES_ALLOW_RO_KEY = 0,
    AES_ALLOW_RO_IV = 1,
    AES_ALLOW_RO_SOURCE = 2,
    AES_ALLOW_RW_DEST = 0,
    AES_CMD_SET_ALGORITHM = 1,
    AES_CMD_SETUP = 2,
    AES_CMD_CRYPT = 3,
    AES_CMD_FINISH = 4,
    AES_CMD_CCM_A_OFF = 5,
    AES_CMD_CCM_M_OFF = 6,
    AES_CMD_CCM_MIC_LEN = 7,
    AES_CMD_CCM_CONFIDENTIAL = 8,
};

static returncode_t aes_command(uint32_t command_num, int arg0, int arg1)
{
    return tock_command_return_novalue_to_returncode(
        command(DRIVER_NUM_AES, command_num, arg0, arg1));
}

bool libtock_aes_driver_exists(void)
{
    return driver_exists(DRIVER_NUM_AES);
}

returncode_t libtock_aes_set_upcall(subscribe_upcall callback, void *opaque)
{
    return tock_subscribe_return_to_returncode(
        subscribe(DRIVER_NUM_AES, AES_UPCALL, callback, opaque));
}

returncode_t libtock_aes_set_readonly_allow_key_buffer(const uint8_t *buffer, uint32_t len)
{
    return tock_allow_ro_return_to_returncode(
        allow_readonly(DRIVER_NUM_AES, AES_ALLOW_RO_KEY, buffer, len));
}

returncode_t libtock_aes_set_readonly_allow_iv_buffer(const uint8_t *buffer, uint32_t len)
{
    return tock_allow_ro_return_to_returncode(
        allow_readonly(DRIVER_NUM_AES, AES_ALLOW_RO_IV, buffer, len));
}

returncode_t libtock_aes_set_readonly_allow_nonce_buffer(const uint8_t *buffer, uint32_t len)
{
    return libtock_aes_set_readonly_allow_iv_buffer(buffer, len);
}

returncode_t libtock_aes_set_readonly_allow_source_buffer(const uint8_t *buffer, uint32_t len)
{
    return tock_allow_ro_return_to_returncode(
        allow_readonly(DRIVER_NUM_AES, AES_ALLOW_RO_SOURCE, buffer, len));
}

returncode_t libtock_aes_set_readwrite_allow_dest_buffer(uint8_t *buffer, uint32_t len)
{
    return tock_allow_rw_return_to_returncode(
        allow_readwrite(DRIVER_NUM_AES, AES_ALLOW_RW_DEST, buffer, len));
}

returncode_t libtock_aes_command_set_algorithm(uint8_t operation, bool encrypting)
{
    return aes_command(AES_CMD_SET_ALGORITHM, operation, encrypting ? 1 : 0);
}

returncode_t libtock_aes_command_setup(void)
{
    return aes_command(AES_CMD_SETUP, 0, 0);
}

returncode_t libtock_aes_command_crypt(void)
{
    return aes_command(AES_CMD_CRYPT, 0, 0);
}

returncode_t libtock_aes_command_finish(void)
{
    return aes_command(AES_CMD_FINISH, 0, 0);
}

returncode_t libtock_aes_command_ccm_set_a_off(uint32_t value)
{
    return aes_command(AES_CMD_CCM_A_OFF, (int)value, 0);
}

returncode_t libtock_aes_command_ccm_set_m_off(uint32_t value)
{
    return aes_command(AES_CMD_CCM_M_OFF, (int)value, 0);
}

returncode_t libtock_aes_command_ccm_set_mic_len(uint32_t value)
{
    return aes_command(AES_CMD_CCM_MIC_LEN, (int)value, 0);
}

returncode_t libtock_aes_command_ccm_set_confidential(bool value)
{
    return aes_command(AES_CMD_CCM_CONFIDENTIAL, value ? 1 : 0, 0);
}
