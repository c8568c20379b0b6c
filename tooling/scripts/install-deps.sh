#!/usr/bin/env bash
# Repo tooling: installs what building and booting Toro needs on Debian/Ubuntu x86-64 — the apt
# packages (QEMU, musl, gcc, binutils, FAT tools) and the pinned pnpm. Shared by
# tooling/scripts/quickstart.sh and .ci/run. Installs only what is missing; as non-root it prints the
# exact command to run and exits 1 instead of guessing at sudo.
set -euo pipefail

PNPM_VERSION="10.34.8" # keep equal to "packageManager" in the root package.json
APT_PACKAGES=(qemu-system-x86 musl-dev musl-tools gcc make binutils dosfstools mtools wrk)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  # dpkg-query prints "install ok installed" only for a fully installed package
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} > 0)); then
  if [[ "$(id -u)" == "0" ]]; then
    echo "install-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "install-deps: missing system packages: ${missing[*]}" >&2
    echo "install-deps: run this, then run me again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

if ! command -v node >/dev/null 2>&1; then
  echo "install-deps: Node.js >= 20 is needed (https://nodejs.org or your distribution's nodejs package)" >&2
  exit 1
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if ((node_major < 20)); then
  echo "install-deps: Node.js >= 20 is needed, found $(node -v)" >&2
  exit 1
fi

if [[ "$(pnpm -v 2>/dev/null || true)" != "$PNPM_VERSION" ]]; then
  echo "install-deps: installing pnpm@$PNPM_VERSION"
  if [[ "$(id -u)" == "0" || -w "$(npm prefix -g)/lib" ]]; then
    npm i -g "pnpm@$PNPM_VERSION"
  else
    echo "install-deps: cannot write npm's global prefix; run: sudo npm i -g pnpm@$PNPM_VERSION" >&2
    echo "  (or enable corepack: corepack enable && corepack prepare pnpm@$PNPM_VERSION --activate)" >&2
    exit 1
  fi
fi

echo "install-deps: ok (qemu, musl, gcc, binutils, FAT tools, node $(node -v), pnpm $(pnpm -v))"
