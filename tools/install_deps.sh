#!/bin/sh
# Install the Debian packages tockc needs, if any are missing (needs root or sudo).
set -e
need=""
command -v arm-none-eabi-gcc >/dev/null 2>&1 || need="$need gcc-arm-none-eabi"
command -v riscv64-unknown-elf-gcc >/dev/null 2>&1 || need="$need gcc-riscv64-unknown-elf"
command -v qemu-system-arm >/dev/null 2>&1 || need="$need qemu-system-arm"
command -v qemu-system-riscv32 >/dev/null 2>&1 || need="$need qemu-system-misc"
command -v python3 >/dev/null 2>&1 || need="$need python3"
# gdb for both architectures: `make debug` and the debugger test (tests/tools/test_debug.py).
command -v gdb-multiarch >/dev/null 2>&1 || need="$need gdb-multiarch"
command -v gcc >/dev/null 2>&1 || need="$need gcc"
[ -f /usr/include/cmocka.h ] || need="$need libcmocka-dev"
command -v clang >/dev/null 2>&1 || need="$need clang"
# libFuzzer's runtime (libclang_rt.fuzzer) for `make fuzz` and the fuzz step of `make test`.
ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1 ||
    need="$need libclang-rt-14-dev"
# llvm-profdata and llvm-cov for `make fuzz-coverage`.
{ command -v llvm-cov && command -v llvm-profdata; } >/dev/null 2>&1 || need="$need llvm"
[ -n "$need" ] || exit 0
echo "installing:$need"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need
