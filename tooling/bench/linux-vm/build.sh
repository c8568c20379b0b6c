#!/usr/bin/env bash
# Bench tooling (@toro/bench): builds the "Linux microVM" baseline — a Debian cloud kernel and an
# initramfs holding busybox and Debian's node binary with the shared libraries it needs. Its /init
# prints one line from node, then node's exit status, and powers off. Everything comes from Debian
# packages (apt-get download); no other downloads. Output, cached under
# tooling/bench/.cache/linux-vm: vmlinuz, initrd, manifest.json.
# Usage: bash tooling/bench/linux-vm/build.sh [--force]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/../.cache/linux-vm"
force=0
[[ "${1:-}" == "--force" ]] && force=1

if [[ $force == 0 && -f "$out/manifest.json" && -f "$out/vmlinuz" && -f "$out/initrd" ]]; then
  echo "linux-vm: cached in $out (pass --force to rebuild)" >&2
  exit 0
fi

for tool in apt-get apt-cache dpkg-deb ldd strip; do
  command -v "$tool" >/dev/null || { echo "linux-vm: $tool is missing (Debian/Ubuntu host needed)" >&2; exit 2; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/toro-linux-vm.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/debs" "$out"

# The meta package names the current versioned cloud kernel; download that one.
kernel_pkg="$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')"
if [[ -z "$kernel_pkg" ]]; then
  echo "linux-vm: apt-cache does not know linux-image-cloud-amd64; run apt-get update first" >&2
  exit 2
fi
# Debian's own nodejs (the host may have another vendor's build installed): the newest version
# a Debian archive offers, with libnode, the lib* packages both depend on, and the node-* packages
# (acorn, cjs-module-lexer, undici): Debian's libnode loads those builtins from /usr/share/nodejs.
node_version_deb="$(apt-cache madison nodejs | awk -F'|' '$3 ~ /debian/ { gsub(/ /, "", $2); print $2; exit }')"
[[ -n "$node_version_deb" ]] || { echo "linux-vm: no Debian nodejs in apt's lists; run apt-get update" >&2; exit 2; }
node_pkgs=("nodejs=$node_version_deb")
libnode="$(apt-cache depends "nodejs=$node_version_deb" | awk '/Depends: libnode/ { print $2; exit }')"
[[ -n "$libnode" ]] && node_pkgs+=("$libnode=$node_version_deb")
lib_deps="$(apt-cache depends "${node_pkgs[@]}" | awk '/Depends: (lib|zlib|node-)/ { print $2 }' | grep -v '^libnode' | sort -u)"
echo "linux-vm: downloading $kernel_pkg busybox-static ${node_pkgs[*]} $(echo $lib_deps) (apt-get download)…" >&2
(cd "$work/debs" && apt-get download -q "$kernel_pkg" busybox-static "${node_pkgs[@]}" $lib_deps >&2)

for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/x"; done
vmlinuz="$(ls "$work"/x/boot/vmlinuz-* | head -n1)"
config="$(ls "$work"/x/boot/config-* | head -n1)"
kernel_release="${vmlinuz##*/vmlinuz-}"
node_bin="$work/x/usr/bin/node"
[[ -x "$node_bin" ]] || { echo "linux-vm: the nodejs package has no usr/bin/node" >&2; exit 1; }
busybox="$work/x/bin/busybox"
[[ -x "$busybox" ]] || busybox="$work/x/usr/bin/busybox"

# The console is the 8250 UART on ttyS0; it must be built in, since /init talks through it before
# any module could load. (virtio is modular in this kernel, but this guest needs no virtio device.)
grep -q '^CONFIG_SERIAL_8250_CONSOLE=y' "$config" || { echo "linux-vm: $kernel_release has no built-in 8250 console" >&2; exit 1; }

root="$work/root"
mkdir -p "$root"/{bin,sbin,usr/bin,dev,proc,sys,tmp,lib,lib64,lib/x86_64-linux-gnu}
cp "$busybox" "$root/bin/busybox"
for applet in sh mount poweroff reboot echo cat; do ln -s busybox "$root/bin/$applet"; done
# Strip debug info, as any minimal image would (the code is unchanged).
strip --strip-debug -o "$root/usr/bin/node" "$node_bin"
# ldd resolves against the downloaded libraries first, then the host's (same Debian release).
libpath="$work/x/usr/lib/x86_64-linux-gnu:$work/x/lib/x86_64-linux-gnu"
LD_LIBRARY_PATH="$libpath" ldd "$node_bin" | awk '/=> \// { print $3 } /^\s*\/lib/ { print $1 }' | sort -u | while read -r lib; do
  dest="$root${lib#"$work/x"}"
  mkdir -p "$(dirname "$dest")"
  cp -L "$lib" "$dest"
  case "$dest" in *.so*) strip --strip-debug "$dest" 2>/dev/null || true ;; esac
done
# The externalized builtins (JS only).
if [[ -d "$work/x/usr/share/nodejs" ]]; then
  mkdir -p "$root/usr/share"
  cp -a "$work/x/usr/share/nodejs" "$root/usr/share/"
fi
# A few libraries are found through /lib64 or /lib/x86_64-linux-gnu by the loader; keep both views.
[[ -e "$root/lib64/ld-linux-x86-64.so.2" ]] || cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"

cat >"$root/init" <<'EOF'
#!/bin/sh
# PID 1 of the Linux microVM baseline: print the line from node, then stop QEMU.
mount -t devtmpfs dev /dev 2>/dev/null
mount -t proc proc /proc
/usr/bin/node -e 'console.log("Hello from Toro! This TypeScript program is the kernel.")'
# This kernel has no /dev/port (CONFIG_DEVPORT is off), so the isa-debug-exit device cannot be
# reached from user space: report node's status on the console, and power off (QEMU exits 0).
echo "linux-vm: node exited $?"
poweroff -f
EOF
chmod +x "$root/init"

# newc cpio from busybox's own cpio applet (no host cpio needed), then compressed with what the
# kernel can unpack fastest: lz4 (legacy framing) when built in, else gzip.
compress="gzip -9"
if grep -q '^CONFIG_RD_LZ4=y' "$config" && command -v lz4 >/dev/null; then compress="lz4 -l -9 -q"; fi
(cd "$root" && find . | LC_ALL=C sort | "$busybox" cpio -o -H newc 2>/dev/null) | $compress >"$work/initrd"

cp "$vmlinuz" "$out/vmlinuz"
cp "$work/initrd" "$out/initrd"
node_version="$(LD_LIBRARY_PATH="$libpath" "$node_bin" --version 2>/dev/null || echo "$node_version_deb")"
cat >"$out/manifest.json" <<EOF
{
  "kernelPackage": "$kernel_pkg",
  "kernelRelease": "$kernel_release",
  "nodeVersion": "$node_version",
  "compression": "${compress%% *}",
  "vmlinuzBytes": $(stat -c %s "$out/vmlinuz"),
  "initrdBytes": $(stat -c %s "$out/initrd"),
  "initrdUncompressedBytes": $(du -sb "$root" | cut -f1),
  "builtAt": "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
}
EOF
echo "linux-vm: wrote $out (kernel $kernel_release, node $node_version, initrd $(stat -c %s "$out/initrd") bytes)" >&2
