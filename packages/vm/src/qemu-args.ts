// Host tool layer (@toro/vm): turns run-image options into a QEMU command line. Pure: no I/O, no
// process, so every combination is unit-tested. Must not import @toro/kernel or spawn anything.
import { RunImageError } from "./errors.js";
import type { QemuArgsOptions } from "./options.js";

/**
 * Guest memory when none is given, in MiB.
 *
 * @example
 * ```ts
 * console.log(`default guest memory: ${DEFAULT_MEMORY_MIB} MiB`);
 * ```
 */
export const DEFAULT_MEMORY_MIB = 128;

// The kernel stops QEMU by writing its exit code here (docs/internals.md §5).
const DEBUG_EXIT_DEVICE = "isa-debug-exit,iobase=0xf4,iosize=0x04";

/**
 * Builds the arguments (binary excluded) that boot `options.image` under QEMU: the PVH ELF via
 * `-kernel`, the serial console on stdio, `isa-debug-exit` for the exit status, `-no-reboot` so a
 * triple fault ends QEMU instead of rebooting forever, and virtio devices for ports and disks
 * (virtio-mmio `*-device` on microvm, `*-pci` on q35).
 *
 * @param options - the image, machine, resolved accelerator, sizes and devices.
 * @returns the argument list for `qemu-system-x86_64`.
 * @throws {@link RunImageError} with code `EINVAL` when a size, count or port is out of range.
 * @example
 * ```ts
 * const args = buildQemuArgs({ image: "dist/hello.img", accel: "tcg", cmdline: "debug" });
 * // ["-kernel", "dist/hello.img", "-M", "microvm", "-accel", "tcg", "-cpu", "max", "-m", "128M", ...]
 * ```
 */
export function buildQemuArgs(options: QemuArgsOptions): string[] {
  const machine = options.machine ?? "microvm";
  const memoryMiB = options.memoryMiB ?? DEFAULT_MEMORY_MIB;
  const cpus = options.cpus ?? 1;
  checkInteger("memoryMiB", memoryMiB, 2, 1 << 20);
  checkInteger("cpus", cpus, 1, 255);
  if (machine !== "microvm" && machine !== "q35") {
    throw invalid(`unknown machine "${String(machine)}"`, 'use "microvm" or "q35"');
  }
  if (options.accel !== "kvm" && options.accel !== "tcg") {
    throw invalid(`unknown accelerator "${String(options.accel)}"`, 'use "kvm" or "tcg"');
  }
  // PVM-KVM (nested, as on our machines) refuses writes of IA32_ARCH_CAPABILITIES (MSR 0x10a) and QEMU
  // aborts; a unikernel never reads it, so hiding it costs nothing on real VT-x either.
  const cpuModel = options.cpuModel ?? (options.accel === "kvm" ? "host,-arch-capabilities" : "max");

  const args = [
    "-kernel", options.image,
    "-M", machine,
    "-accel", options.accel,
    "-cpu", cpuModel,
    "-m", `${memoryMiB}M`,
    "-smp", String(cpus),
    // No default devices (VGA, NIC, parallel, monitor): only what is listed below exists.
    "-nodefaults",
    "-no-reboot",
    "-display", "none",
    "-serial", "stdio",
    "-device", DEBUG_EXIT_DEVICE,
  ];
  if (options.cmdline !== undefined && options.cmdline !== "") {
    args.push("-append", options.cmdline);
  }
  const virtioSuffix = machine === "microvm" ? "device" : "pci";
  // QEMU's virtio-mmio transport defaults to the legacy (version 1) register layout; Toro drives
  // version 2 only (virtio 1.2 §4.2.2), as Firecracker offers.
  if (machine === "microvm") args.push("-global", "virtio-mmio.force-legacy=false");

  const ports = options.ports ?? [];
  if (ports.length > 0 || options.network === true) {
    let netdev = "user,id=net0";
    for (const port of ports) {
      checkInteger("ports[].host", port.host, 1, 65535);
      checkInteger("ports[].guest", port.guest, 1, 65535);
      const protocol = port.protocol ?? "tcp";
      // QEMU syntax: hostfwd=[tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport
      netdev += `,hostfwd=${protocol}:${port.hostAddress ?? ""}:${port.host}-:${port.guest}`;
    }
    args.push("-netdev", netdev, "-device", `virtio-net-${virtioSuffix},netdev=net0`);
  }

  (options.disks ?? []).forEach((disk, index) => {
    const id = `disk${index}`;
    let drive = `id=${id},if=none,format=${disk.format ?? "raw"},file=${escapeOptionValue(disk.path)}`;
    if (disk.readonly === true) drive += ",readonly=on";
    args.push("-drive", drive, "-device", `virtio-blk-${virtioSuffix},drive=${id}`);
  });

  args.push(...(options.extraArgs ?? []));
  return args;
}

// In QEMU's option syntax a comma separates keys; a literal comma is written twice.
function escapeOptionValue(value: string): string {
  return value.replaceAll(",", ",,");
}

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${name} must be an integer from ${min} to ${max}, got ${value}`, `pass a ${name} in that range`);
  }
}

function invalid(message: string, hint: string): RunImageError {
  return new RunImageError("EINVAL", message, hint);
}
