# SPDX-License-Identifier: Apache-2.0 OR MIT
# Host unit tests for chips/ (included by the top Makefile).
UNIT_TESTS += uart_requests_test
uart_requests_test_CFLAGS := -Ichips/common/include
uart_requests_test_SRCS := tests/unit/chips/uart_requests_test.c chips/common/uart_requests.c \
	kernel/deferred_call.c

UNIT_HEADERS += $(wildcard chips/virtio/include/virtio/*.h)
UNIT_TESTS += virtio_test
virtio_test_CFLAGS := -Ichips/virtio/include
virtio_test_SRCS := tests/unit/chips/virtio_test.c chips/virtio/virtqueue.c chips/virtio/virtio_rng.c

UNIT_TESTS += cmsdk_timer_test
cmsdk_timer_test_CFLAGS := -Ichips/cmsdk/include
cmsdk_timer_test_SRCS := tests/unit/chips/cmsdk_timer_test.c chips/cmsdk/timer.c \
	libraries/errorcode.c
