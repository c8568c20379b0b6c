import fc from "fast-check";
import { createFakeMachine } from "@toro/kernel";
import { describe, expect, it } from "vitest";
import { parseMadt } from "./acpi-madt.js";
import { parseMcfg } from "./acpi-mcfg.js";
import { acpiChecksumOk, checkTable, fadtDsdtAddress, findAcpiTables, parseRootTable, parseRsdp } from "./acpi-tables.js";
import { virtioMmioFromDsdt } from "./acpi-virtio-mmio.js";
import { MICROVM_DSDT, MICROVM_MADT, Q35_MADT, Q35_MCFG } from "./testdata/qemu-acpi.js";

/** Builds a table with a valid header and checksum around `body`. */
function table(signature: string, body: Uint8Array): Uint8Array {
  const t = new Uint8Array(36 + body.length);
  t.set(Array.from(signature, (c) => c.charCodeAt(0)), 0);
  new DataView(t.buffer).setUint32(4, t.length, true);
  t.set(body, 36);
  fixChecksum(t, 9);
  return t;
}
function fixChecksum(bytes: Uint8Array, at: number, length = bytes.length): void {
  bytes[at] = 0;
  let sum = 0;
  for (let i = 0; i < length; i++) sum += bytes[i]!;
  bytes[at] = (256 - (sum & 0xff)) & 0xff;
}
const u64 = (values: number[]) => {
  const b = new Uint8Array(values.length * 8);
  values.forEach((v, i) => new DataView(b.buffer).setBigUint64(i * 8, BigInt(v), true));
  return b;
};
function rsdp(xsdt: number, rsdt = 0): Uint8Array {
  const r = new Uint8Array(36);
  r.set(Array.from("RSD PTR ", (c) => c.charCodeAt(0)));
  r[15] = 2;
  const v = new DataView(r.buffer);
  v.setUint32(16, rsdt, true);
  v.setUint32(20, 36, true);
  v.setBigUint64(24, BigInt(xsdt), true);
  fixChecksum(r, 8, 20);
  fixChecksum(r, 32);
  return r;
}

describe("ACPI tables captured from QEMU", () => {
  it("finds microvm's virtio-mmio devices and their GSIs in its DSDT", () => {
    expect(checkTable(MICROVM_DSDT)).toEqual({ ok: true, value: "DSDT" });
    const devices = virtioMmioFromDsdt(MICROVM_DSDT);
    expect(devices.map((d) => [d.baseAddress.toString(16), d.sizeBytes, d.gsi])).toEqual([
      ["feb02e00", 512, 47],
      ["feb02c00", 512, 46],
    ]);
    expect(devices[0]).toMatchObject({ level: true, activeLow: false, source: "acpi" });
  });

  it("parses microvm's and q35's MADT", () => {
    const micro = parseMadt(MICROVM_MADT);
    expect(micro.ok && micro.value.ioApics.map((io) => io.gsiBase)).toEqual([0, 24]);
    expect(micro.ok && micro.value.localApics).toEqual([{ processorUid: 0, apicId: 0, enabled: true, onlineCapable: false }]);
    const q35 = parseMadt(Q35_MADT);
    expect(q35.ok).toBe(true);
    if (!q35.ok) return;
    expect(q35.value.localApicAddress).toBe(0xfee00000);
    expect(q35.value.ioApics).toEqual([{ id: 0, address: 0xfec00000, gsiBase: 0 }]);
    expect(q35.value.overrides.find((o) => o.source === 0)?.gsi).toBe(2);
  });

  it("parses q35's MCFG", () => {
    expect(parseMcfg(Q35_MCFG)).toEqual({ ok: true, value: [{ baseAddress: 0xb0000000, segment: 0, startBus: 0, endBus: 255 }] });
  });
});

describe("ACPI parsing of synthetic tables", () => {
  it("walks RSDP -> XSDT -> FADT -> DSDT on a machine, skipping a corrupt table", () => {
    const m = createFakeMachine();
    const dsdt = MICROVM_DSDT;
    const fadtBody = new Uint8Array(244 - 36);
    new DataView(fadtBody.buffer).setBigUint64(140 - 36, 0x9000n, true);
    const fadt = table("FACP", fadtBody);
    const bad = table("BAD!", new Uint8Array(8));
    bad[20]! ^= 0xff;
    m.addRam(0x9000, dsdt);
    m.addRam(0x8000, fadt);
    m.addRam(0x7000, MICROVM_MADT);
    m.addRam(0x6000, bad);
    m.addRam(0x5000, table("XSDT", u64([0x8000, 0x7000, 0x6000, 0xdead0000])));
    m.addRam(0xe0000, rsdp(0x5000));
    m.setAcpiRsdp(0xe0000);
    expect(fadtDsdtAddress(fadt)).toBe(0x9000);
    expect(findAcpiTables(m).map((t) => t.signature)).toEqual(["FACP", "DSDT", "APIC"]);
  });

  it("falls back to the RSDT and to 4-byte MMIO reads when the range cannot be mapped", () => {
    const m = createFakeMachine();
    const rsdtBody = new Uint8Array(4);
    new DataView(rsdtBody.buffer).setUint32(0, 0x7000, true);
    const mem = new Uint8Array(0x10000);
    mem.set(MICROVM_MADT, 0x7000);
    mem.set(table("RSDT", rsdtBody), 0x5001); // unaligned on purpose
    const r = rsdp(0, 0x5001);
    r[15] = 0;
    fixChecksum(r, 8, 20);
    mem.set(r, 0xe000);
    m.addMmio(0, 0x10000, { read: (o, w) => mem.subarray(o, o + Number(w)).reduceRight((a, b) => a * 256 + b, 0), write: () => {} });
    m.setAcpiRsdp(0xe000);
    expect(findAcpiTables(m).map((t) => t.signature)).toEqual(["APIC"]);
  });

  it("refuses bad RSDPs and tables with a reason", () => {
    expect(parseRsdp(new Uint8Array(20))).toMatchObject({ ok: false });
    const r = rsdp(0x1000);
    r[0] = 0x41;
    expect(parseRsdp(r)).toMatchObject({ ok: false, error: "no RSDP signature" });
    const c = rsdp(0x1000);
    c[19]! ^= 1;
    expect(parseRsdp(c)).toMatchObject({ ok: false, error: "bad RSDP checksum" });
    expect(parseMadt(Q35_MCFG)).toMatchObject({ ok: false });
    expect(parseRootTable(Q35_MCFG)).toMatchObject({ ok: false });
    expect(acpiChecksumOk(Q35_MADT)).toBe(true);
    const corrupt = Q35_MADT.slice();
    corrupt[50]! ^= 0x10;
    expect(parseMadt(corrupt)).toMatchObject({ ok: false });
  });

  it("never throws on arbitrary or mutated bytes (property)", () => {
    const parsers = [parseRsdp, parseRootTable, parseMcfg, parseMadt, checkTable, virtioMmioFromDsdt, fadtDsdtAddress];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        for (const parse of parsers) parse(bytes);
      }),
    );
    // Mutations of real tables that keep the checksum valid reach the entry walkers.
    fc.assert(
      fc.property(fc.constantFrom(MICROVM_MADT, Q35_MADT, Q35_MCFG, MICROVM_DSDT), fc.array(fc.tuple(fc.nat(1000), fc.nat(255)), { maxLength: 8 }), (base, edits) => {
        const t = base.slice();
        for (const [at, v] of edits) if (at >= 10 && at < t.length) t[at] = v;
        fixChecksum(t, 9);
        const madt = parseMadt(t);
        if (madt.ok) expect(madt.value.ioApics.length).toBeLessThan(t.length);
        parseMcfg(t);
        for (const d of virtioMmioFromDsdt(t)) expect(d.sizeBytes).toBeGreaterThan(0);
      }),
    );
  });
});
