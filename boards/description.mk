# SPDX-License-Identifier: Apache-2.0 OR MIT
# The description of $(BOARD) (boards/$(BOARD)/board.json) as make variables: tools/board_gen.py
# writes build/$(BOARD)/board.gen.mk (BOARD_* addresses and slots, QEMU_SYSTEM, QEMU_ARGS) and
# build/$(BOARD)/memory.ld (the linker's MEMORY{}, INCLUDEd by the board's layout.ld) before
# their first use and whenever the description or the tools that read it change.
# Included by boards/boards.mk and by userland/userland.mk (also on its own), once.
# `make clean` and `make deps` alone do not read the description (nothing is generated just to
# be deleted, and python3 may not be installed yet).
ifndef BOARD_GEN_MK
BOARD ?= qemu_mps2_an385
BUILD ?= build
PYTHON ?= python3

BOARD_GEN_DIR := $(BUILD)/$(BOARD)
BOARD_GEN_MK := $(BOARD_GEN_DIR)/board.gen.mk
BOARD_MEMORY_LD := $(BOARD_GEN_DIR)/memory.ld
BOARD_GEN_INPUTS := boards/$(BOARD)/board.json tools/board_gen.py tools/board_info.py

$(BOARD_GEN_MK): $(BOARD_GEN_INPUTS)
	@echo "  GEN     $@"
	@$(PYTHON) tools/board_gen.py make $(BOARD) -o $@
$(BOARD_MEMORY_LD): $(BOARD_GEN_INPUTS)
	@echo "  GEN     $@"
	@$(PYTHON) tools/board_gen.py ld $(BOARD) -o $@

# $(call write_if_changed,file,text): afterwards `file` holds `text`, rewritten only when it held
# something else, so what depends on it rebuilds exactly when the text changes (flags, addresses).
# Nothing is written before the description is read: a first pass that generates it knows no
# board yet.
write_if_changed = $(if $(BOARD_DESCRIPTION),$(shell mkdir -p $(dir $(1)) && \
	[ "$$(cat $(1) 2>/dev/null)" = "$(2)" ] || echo "$(2)" > $(1)))

# Goals that need no board: nothing is generated (or checked) for them alone.
BOARD_FREE_GOALS := clean deps help boards
BOARD_GEN_SKIP := $(if $(MAKECMDGOALS),$(if $(filter-out $(BOARD_FREE_GOALS),$(MAKECMDGOALS)),,yes))
KNOWN_BOARDS := $(sort $(patsubst boards/%/board.json,%,$(wildcard boards/*/board.json)))
ifeq ($(BOARD_GEN_SKIP),)
ifeq ($(filter $(BOARD),$(KNOWN_BOARDS)),)
$(error unknown board '$(BOARD)': the boards are $(KNOWN_BOARDS) (`make boards` shows each with its memory map))
endif
include $(BOARD_GEN_MK)
endif
endif
