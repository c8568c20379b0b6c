#!/bin/sh
# The ring-0 core must not touch SSE registers: under PVM nested KVM ring 0 is emulated and an SSE
# instruction there kills the VM. Fails the build if the core's code uses any xmm/ymm register.
set -eu
elf="$1"
start=$(nm "$elf" | awk '$3=="__core_text_start"{print $1}')
end=$(nm "$elf" | awk '$3=="__core_text_end"{print $1}')
if objdump -d --start-address=0x$start --stop-address=0x$end "$elf" | grep -E '%[xy]mm[0-9]' >/dev/null; then
  echo "check-core: the ring-0 core uses SSE registers:" >&2
  objdump -d --start-address=0x$start --stop-address=0x$end "$elf" | grep -E '%[xy]mm[0-9]' | head >&2
  exit 1
fi
