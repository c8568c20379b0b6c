#!/usr/bin/env bash
# Repo tooling: the README's first command. From a fresh clone: installs what is missing, installs
# the workspace, builds every package (the kernel ELF included), then links and boots apps/hello
# in QEMU. Safe to run again; each step skips work already done.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

bash tooling/scripts/install-deps.sh
pnpm install --frozen-lockfile
pnpm build
# pnpm links workspace bins (link-image, run-image) only when their dist files exist, which is
# after the build: link again, offline, so apps see them.
pnpm install --frozen-lockfile --offline >/dev/null

echo
echo "quickstart: linking and booting apps/hello"
pnpm --filter hello link-image
pnpm --filter hello run-image
