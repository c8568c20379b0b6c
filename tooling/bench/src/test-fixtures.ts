// Bench harness (@toro/bench), test-only: a small, fixed BenchResults for the renderer tests.
// Imported by *.test.ts files only; never by the bench itself.
import type { BenchResults } from "./results.js";

/** A run with every section filled, as the renderers expect it. */
export function sampleResults(): BenchResults {
  return {
    format: 1,
    date: "2026-01-02T03:04:05.000Z",
    quick: true,
    runsPerCase: 3,
    machine: {
      cpuModel: "AMD EPYC",
      cores: 2,
      memoryMiB: 24105,
      kernel: "6.18.44 (#1 SMP)",
      os: "Debian GNU/Linux 12 (bookworm)",
      qemuVersion: "QEMU emulator version 7.2.22",
      nodeVersion: "v20.20.2",
      kvmKind: "KVM (PVM, nested: guest ring 0 emulated, ring 3 native)",
      tscKhz: 2_596_150,
    },
    boot: {
      cases: [
        { id: "toro-kvm", label: "Toro hello (microvm)", runsOn: "kvm", kind: "toro", firstLineMs: [50, 60, 55], exitMs: [70, 80, 75], guestToMainMs: [4, 5, 6] },
        { id: "bare-pvh-kvm", label: "bare PVH kernel (microvm)", runsOn: "kvm", kind: "bare-pvh", firstLineMs: [25, 25, 25], exitMs: [30, 30, 30] },
        { id: "node-host", label: "Node.js on the host (node -e)", runsOn: "host", kind: "node-host", firstLineMs: [100, 110, 90], exitMs: [120, 120, 120] },
        { id: "linux-vm-tcg", label: "Node.js in a Linux microVM (microvm)", runsOn: "tcg", kind: "linux-vm", firstLineMs: [5000, 5500, 4500], exitMs: [5600, 5600, 5600] },
      ],
      skipped: [{ id: "q", label: "Toro hello (q35, qboot)", reason: "qboot.rom is absent" }],
    },
    size: {
      images: [
        { id: "toro-hello", label: "Toro hello image", totalBytes: 867_245, source: "measured", parts: [{ name: "main.js (bytecode)", bytes: 4061 }] },
        { id: "linux-vm", label: "Linux microVM", totalBytes: 57_479_509, source: "measured", parts: [] },
        { id: "original-toro", label: "original Toro", totalBytes: 133_120, source: "published", parts: [] },
      ],
      skipped: [],
    },
    memory: {
      floors: [
        { id: "toro-hello-kvm", label: "Toro hello (microvm)", runsOn: "kvm", floorMiB: 6, probes: [{ memoryMiB: 128, ok: true }], boundsMiB: [2, 128] },
        { id: "linux-vm-tcg", label: "Linux microVM", runsOn: "tcg", floorMiB: 240, probes: [{ memoryMiB: 2048, ok: true }], boundsMiB: [32, 2048] },
      ],
      skipped: [],
    },
    idle: { results: [{ id: "idle-kvm", label: "Toro idle app", runsOn: "kvm", windowMs: 10_000, cpuMs: 30, cpuPercent: 0.3 }], skipped: [] },
    http: { method: "wrk", runs: [], skipped: [{ id: "http-echo", label: "Toro echo", reason: "not available yet: apps/echo does not exist" }] },
    notes: ["a note"],
  };
}
