# SPDX-License-Identifier: Apache-2.0 OR MIT
# Host unit tests for libraries/ (included by the top Makefile).
UNIT_TESTS += tbf_test
tbf_test_SRCS := tests/unit/libraries/tbf_test.c libraries/tbf.c

UNIT_TESTS += format_test
format_test_SRCS := tests/unit/libraries/format_test.c libraries/format.c

UNIT_TESTS += list_test
list_test_SRCS := tests/unit/libraries/list_test.c

# The key-value store's on-flash format, alone: no fakes, no store.
UNIT_TESTS += kv_record_test
kv_record_test_SRCS := tests/unit/libraries/kv_record_test.c libraries/kv_record.c

# The runtime app loader's placement and bounds, with the TBF parser for the padding object.
UNIT_TESTS += app_load_plan_test
app_load_plan_test_SRCS := tests/unit/libraries/app_load_plan_test.c libraries/app_load_plan.c \
	libraries/tbf.c
