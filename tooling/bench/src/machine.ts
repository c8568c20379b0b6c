// Bench harness (@toro/bench), host facts for the report: CPU, cores, memory, kernel, QEMU, and
// what kind of KVM this is (nested PVM on our machines). Reads /proc, /sys and `qemu --version`;
// it must not start a VM.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { cpus, release, totalmem, version } from "node:os";
import { probeKvm } from "@toro/vm";
import type { MachineInfo } from "./results.js";

function read(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

/** The host TSC frequency in kHz: the boot-time "tsc: Detected … MHz" figure /proc/cpuinfo repeats. */
export function hostTscKhz(cpuinfo: string): number | null {
  // With constant_tsc the TSC ticks at the nominal rate the kernel reports as "cpu MHz".
  const m = /^cpu MHz\s*:\s*([0-9.]+)/m.exec(cpuinfo);
  return m === null ? null : Math.round(Number(m[1]) * 1000);
}

/** Describes this machine; `qemu` is the QEMU binary the cases use. */
export async function describeMachine(qemu: string): Promise<MachineInfo> {
  const cpuinfo = read("/proc/cpuinfo");
  let qemuVersion = "unknown";
  try {
    qemuVersion = execFileSync(qemu, ["--version"], { encoding: "utf8" }).split("\n")[0] ?? "unknown";
  } catch {
    // reported as unknown
  }
  const probe = await probeKvm();
  let kvmKind: string;
  if (!probe.usable) kvmKind = `none (${probe.reason}): TCG only`;
  else if (existsSync("/sys/module/kvm_pvm")) kvmKind = "KVM (PVM, nested: guest ring 0 emulated, ring 3 native)";
  else if (existsSync("/sys/module/kvm_intel")) kvmKind = "KVM (VT-x)";
  else if (existsSync("/sys/module/kvm_amd")) kvmKind = "KVM (AMD-V)";
  else kvmKind = "KVM";
  const osRelease = /^PRETTY_NAME="?([^"\n]*)/m.exec(read("/etc/os-release"))?.[1] ?? "unknown";
  return {
    cpuModel: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryMiB: Math.round(totalmem() / 2 ** 20),
    kernel: `${release()} (${version()})`,
    os: osRelease,
    qemuVersion,
    nodeVersion: process.version,
    kvmKind,
    tscKhz: hostTscKhz(cpuinfo),
  };
}
