# SPDX-License-Identifier: Apache-2.0 OR MIT
# The layers of the kernel image and the include directories each may use
# (doc/reference/000-code-rules.md, section 1): libraries < hil < kernel < capsules < chips <
# boards, with arch beside the kernel (the kernel sees only its arch_* contract and types). A
# source is compiled with its own layer's list only, so including a header of a higher layer
# (a chip header in a capsule, a capsule header in the kernel) is a build error.
# tests/tools/test_layering.py checks that it is. Needs BOARD_ARCH and BOARD_INCLUDES (board.mk).

LAYER_ARCH_INCLUDES := -Iarch/$(BOARD_ARCH)/include
LAYER_CHIP_INCLUDES := $(filter-out $(LAYER_ARCH_INCLUDES),$(BOARD_INCLUDES))

LAYER_INCLUDES_libraries := -Ilibraries/include
LAYER_INCLUDES_hil := $(LAYER_INCLUDES_libraries) -Ihil/include
# The core: no HIL (no hardware but through arch_*), no services.
LAYER_INCLUDES_kernel := $(LAYER_INCLUDES_libraries) -Ikernel/include $(LAYER_ARCH_INCLUDES)
LAYER_INCLUDES_arch := $(LAYER_INCLUDES_kernel)
# The kernel's services (kernel/ipc/): the core and the HILs they use (the alarm).
LAYER_INCLUDES_ipc := $(LAYER_INCLUDES_kernel) -Ihil/include -Ikernel/ipc/include
LAYER_INCLUDES_capsules := $(LAYER_INCLUDES_kernel) -Ihil/include -Icapsules/include
LAYER_INCLUDES_chips := $(LAYER_INCLUDES_capsules) $(LAYER_CHIP_INCLUDES)
LAYER_INCLUDES_boards := $(LAYER_INCLUDES_chips) -Ikernel/ipc/include -Iboards/components/include

# The layer of a source path: its top directory, except the services under kernel/ipc/.
layer_of = $(if $(filter kernel/ipc/%,$(1)),ipc,$(firstword $(subst /, ,$(1))))
# Its include list; an unknown top directory gets none, so a stray source fails to build.
layer_includes = $(LAYER_INCLUDES_$(call layer_of,$(1)))

# For tests/tools/test_layering.py: make -s print-layer-includes FILE=capsules/x.c
.PHONY: print-layer-includes
print-layer-includes:
	@echo $(call layer_includes,$(FILE))
