import { describe, expect, it } from "vitest";
import { RunImageError } from "./errors.js";
import { buildQemuArgs } from "./qemu-args.js";

// Returns the value following each occurrence of `flag`.
function valuesOf(args: string[], flag: string): string[] {
  return args.flatMap((arg, i) => (arg === flag ? [args[i + 1]!] : []));
}

describe("buildQemuArgs", () => {
  it("boots the image as a PVH kernel on microvm with the defaults", () => {
    const args = buildQemuArgs({ image: "dist/hello.img", accel: "tcg" });
    expect(args).toEqual([
      "-kernel", "dist/hello.img",
      "-M", "microvm",
      "-accel", "tcg",
      "-cpu", "max",
      "-m", "128M",
      "-smp", "1",
      "-nodefaults",
      "-no-reboot",
      "-display", "none",
      "-serial", "stdio",
      "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
      "-global", "virtio-mmio.force-legacy=false",
    ]);
  });

  it("asks for virtio-mmio version 2 on microvm only", () => {
    expect(valuesOf(buildQemuArgs({ image: "a", accel: "tcg" }), "-global")).toEqual(["virtio-mmio.force-legacy=false"]);
    expect(valuesOf(buildQemuArgs({ image: "a", accel: "tcg", machine: "q35" }), "-global")).toEqual([]);
  });

  it("uses the host CPU without IA32_ARCH_CAPABILITIES under KVM, and max under TCG", () => {
    expect(valuesOf(buildQemuArgs({ image: "a", accel: "kvm" }), "-cpu")).toEqual(["host,-arch-capabilities"]);
    expect(valuesOf(buildQemuArgs({ image: "a", accel: "tcg" }), "-cpu")).toEqual(["max"]);
    expect(valuesOf(buildQemuArgs({ image: "a", accel: "kvm", cpuModel: "kvm64" }), "-cpu")).toEqual(["kvm64"]);
  });

  it("selects q35 on request", () => {
    const args = buildQemuArgs({ image: "a", accel: "kvm", machine: "q35" });
    expect(valuesOf(args, "-M")).toEqual(["q35"]);
    expect(valuesOf(args, "-accel")).toEqual(["kvm"]);
  });

  it("renders memory, vCPUs and the command line", () => {
    const args = buildQemuArgs({ image: "a", accel: "tcg", memoryMiB: 1024, cpus: 4, cmdline: "debug port=80" });
    expect(valuesOf(args, "-m")).toEqual(["1024M"]);
    expect(valuesOf(args, "-smp")).toEqual(["4"]);
    expect(valuesOf(args, "-append")).toEqual(["debug port=80"]);
  });

  it("omits -append for an empty command line", () => {
    expect(buildQemuArgs({ image: "a", accel: "tcg", cmdline: "" })).not.toContain("-append");
  });

  it("always wires the serial console to stdio, the exit device, and no reboot", () => {
    for (const machine of ["microvm", "q35"] as const) {
      const args = buildQemuArgs({ image: "a", accel: "tcg", machine });
      expect(valuesOf(args, "-serial")).toEqual(["stdio"]);
      expect(valuesOf(args, "-device")).toContain("isa-debug-exit,iobase=0xf4,iosize=0x04");
      expect(args).toContain("-no-reboot");
      expect(args).toContain("-nodefaults");
    }
  });

  it("forwards ports through a user-mode virtio-mmio NIC on microvm", () => {
    const args = buildQemuArgs({
      image: "a",
      accel: "tcg",
      ports: [{ host: 8080, guest: 80 }, { host: 5353, guest: 53, protocol: "udp", hostAddress: "127.0.0.1" }],
    });
    expect(valuesOf(args, "-netdev")).toEqual(["user,id=net0,hostfwd=tcp::8080-:80,hostfwd=udp:127.0.0.1:5353-:53"]);
    expect(valuesOf(args, "-device")).toContain("virtio-net-device,netdev=net0");
  });

  it("uses virtio-pci devices on q35", () => {
    const args = buildQemuArgs({ image: "a", accel: "tcg", machine: "q35", ports: [{ host: 8080, guest: 80 }], disks: [{ path: "d.img" }] });
    expect(valuesOf(args, "-device")).toEqual(["isa-debug-exit,iobase=0xf4,iosize=0x04", "virtio-net-pci,netdev=net0", "virtio-blk-pci,drive=disk0"]);
  });

  it("adds a NIC without forwards when network is on, and none by default", () => {
    expect(valuesOf(buildQemuArgs({ image: "a", accel: "tcg", network: true }), "-netdev")).toEqual(["user,id=net0"]);
    expect(buildQemuArgs({ image: "a", accel: "tcg" })).not.toContain("-netdev");
  });

  it("attaches disks in order as virtio-blk, with format, read-only and escaped commas", () => {
    const args = buildQemuArgs({
      image: "a",
      accel: "tcg",
      disks: [{ path: "/tmp/fat.img" }, { path: "/tmp/a,b.qcow2", format: "qcow2", readonly: true }],
    });
    expect(valuesOf(args, "-drive")).toEqual([
      "id=disk0,if=none,format=raw,file=/tmp/fat.img",
      "id=disk1,if=none,format=qcow2,file=/tmp/a,,b.qcow2,readonly=on",
    ]);
    expect(valuesOf(args, "-device").slice(1)).toEqual(["virtio-blk-device,drive=disk0", "virtio-blk-device,drive=disk1"]);
  });

  it("appends extra arguments last, verbatim", () => {
    const args = buildQemuArgs({ image: "a", accel: "tcg", disks: [{ path: "d" }], extraArgs: ["-d", "int"] });
    expect(args.slice(-2)).toEqual(["-d", "int"]);
  });

  it("rejects out-of-range sizes, counts, ports and unknown machines", () => {
    const bad = [
      { memoryMiB: 0 },
      { memoryMiB: 1.5 },
      { cpus: 0 },
      { cpus: 256 },
      { ports: [{ host: 0, guest: 80 }] },
      { ports: [{ host: 80, guest: 70000 }] },
      { machine: "pc" as never },
    ];
    for (const extra of bad) {
      expect(() => buildQemuArgs({ image: "a", accel: "tcg", ...extra })).toThrow(RunImageError);
    }
    try {
      buildQemuArgs({ image: "a", accel: "tcg", cpus: -1 });
    } catch (err) {
      expect((err as RunImageError).code).toBe("EINVAL");
    }
  });
});
