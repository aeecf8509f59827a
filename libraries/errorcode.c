/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/*
 * Names of err_t values, for console diagnostics.
 */
#include "errorcode.h"

#include <stddef.h>

static const char *const names[] = {
    "OK",     "FAIL",   "BUSY",      "ALREADY",  "OFF",         "RESERVE", "INVAL",
    "SIZE",   "CANCEL", "NOMEM",     "NOSUPPORT", "NODEVICE",   "UNINSTALLED", "NOACK",
};

const char *err_name(err_t err)
{
    size_t index = (size_t)err;
    return index < sizeof names / sizeof names[0] ? names[index] : "?";
}
