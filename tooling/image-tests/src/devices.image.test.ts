// Issue 4 end to end: the devices fixture discovers real QEMU devices (virtio-mmio on microvm via the
// DSDT, virtio-pci on q35 via ECAM and MSI-X) and drives them through interrupts. The host prepares
// the disk and checks it byte-exact after the VM exits, sees the console text, and QEMU's user
// network answers the guest's ARP request.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { boot, fixture, link } from "./boot.js";

const SECTORS = 2048;
const hostByte = (sector: number, i: number) => (sector * 7 + i * 3 + 1) & 0xff;
const guestByte = (sector: number, i: number) => (sector * 131 + i * 7 + 13) & 0xff;
const pattern = (byte: (s: number, i: number) => number) => {
  const d = new Uint8Array(SECTORS * 512);
  for (let s = 0; s < SECTORS; s++) for (let i = 0; i < 512; i++) d[s * 512 + i] = byte(s, i);
  return d;
};

const dir = mkdtempSync(join(tmpdir(), "toro-devices-"));
let image: string;
beforeAll(async () => {
  image = await link(fixture("devices"));
}, 120_000);

describe.each(["microvm", "q35"] as const)("virtio devices on %s", (machine) => {
  // QEMU 7.2's virtio-mmio transport is legacy (version 1) unless told otherwise; we drive version 2.
  const modern = machine === "microvm" ? ["-global", "virtio-mmio.force-legacy=false"] : [];
  const suffix = machine === "microvm" ? "device" : "pci";

  it("virtio-blk: reads the host's pattern, writes its own across the disk, flushes; the host reads it back", async () => {
    const disk = join(dir, `${machine}-rw.img`);
    writeFileSync(disk, pattern(hostByte));
    const r = await boot(image, { machine, cmdline: "test=blk", disks: [{ path: disk }], extraArgs: modern });
    expect(r.output).toContain("blk: 2048 sectors of 512 bytes, readOnly=false flushable=true");
    expect(r.output).toContain("blk: host pattern read ok");
    expect(r.output).toContain("blk: wrote, flushed and read back 2048 sectors ok");
    expect(r.exitCode).toBe(0);
    expect(Buffer.compare(readFileSync(disk), Buffer.from(pattern(guestByte)))).toBe(0);
  }, 120_000);

  it("virtio-blk: a read-only disk refuses writes with EROFS and stays unchanged", async () => {
    const disk = join(dir, `${machine}-ro.img`);
    writeFileSync(disk, pattern(hostByte));
    const r = await boot(image, { machine, cmdline: "test=ro", disks: [{ path: disk, readonly: true }], extraArgs: modern });
    expect(r.output).toContain("readOnly=true");
    expect(r.output).toContain("blk: write refused with EROFS");
    expect(r.exitCode).toBe(0);
    expect(Buffer.compare(readFileSync(disk), Buffer.from(pattern(hostByte)))).toBe(0);
  }, 120_000);

  it("virtio-net: an ARP request for the user-network gateway gets its reply", async () => {
    const r = await boot(image, { machine, cmdline: "test=net", network: true, extraArgs: modern });
    expect(r.output).toMatch(/net: mac 52:54:00:12:34:56 mtu 1500 link up/);
    expect(r.output).toMatch(/net: ARP reply from 10\.0\.2\.2 at 52:55:0a:00:02:02; frames sent=3 received=[1-9]\d*/);
    expect(r.exitCode).toBe(0);
  }, 120_000);

  it("virtio-console: text the guest writes appears on the host side of the chardev", async () => {
    const out = join(dir, `${machine}-console.txt`);
    const r = await boot(image, {
      machine,
      cmdline: "test=console text=toro-console-check",
      extraArgs: [...modern, "-device", `virtio-serial-${suffix}`, "-chardev", `file,id=con0,path=${out}`, "-device", "virtconsole,chardev=con0"],
    });
    expect(r.output).toContain("console: written");
    expect(r.exitCode).toBe(0);
    expect(readFileSync(out, "utf8")).toBe("toro-console-check\n");
  }, 120_000);

  it("lists what it found and where it learned it", async () => {
    const r = await boot(image, { machine, cmdline: "test=list", network: true, extraArgs: modern });
    expect(r.exitCode).toBe(0);
    if (machine === "microvm") expect(r.output).toMatch(/found 1af4:1041 type=1 mmio@0xfeb[0-9a-f]+ gsi=\d+ from=acpi/);
    else expect(r.output).toMatch(/found 1af4:10(00|41) type=1 pci 0:\d+\.0/);
  }, 120_000);
});
