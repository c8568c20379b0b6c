import { describe, expect, it } from "vitest";
import { HELLO_LINE } from "./results.js";
import { linuxVmTarget, nodeHostTarget, parseGuestToMainMs, toroTarget } from "./targets.js";
import type { TimedRun } from "./timed-process.js";

const run = (over: Partial<TimedRun>): TimedRun => ({
  firstMatchMs: 10,
  exitMs: 20,
  status: 1,
  signal: null,
  timedOut: false,
  output: `${HELLO_LINE}\n`,
  stderr: "",
  ...over,
});

describe("toroTarget", () => {
  const t = toroTarget({ id: "t", label: "t", qemu: "qemu", image: "a.img", accel: "kvm", bios: "/q.rom" });
  it("uses run-image's flags, the memory size and -bios", () => {
    const { command, args } = t.command(17);
    expect(command).toBe("qemu");
    expect(args).toContain("host,-arch-capabilities");
    expect(args.join(" ")).toContain("-m 17M");
    expect(args.slice(-2)).toEqual(["-bios", "/q.rom"]);
  });
  it("appends extra QEMU arguments after -bios and runs QEMU through a wrapper", () => {
    const w = toroTarget({
      id: "w",
      label: "w",
      qemu: "qemu",
      image: "a.img",
      accel: "kvm",
      extraArgs: ["-netdev", "tap,id=net0"],
      wrap: (command, args) => ({ command: "ip", args: ["netns", "exec", "ns", command, ...args] }),
    }).command();
    expect(w.command).toBe("ip");
    expect(w.args.slice(0, 4)).toEqual(["netns", "exec", "ns", "qemu"]);
    expect(w.args.slice(-2)).toEqual(["-netdev", "tap,id=net0"]);
    expect(w.args).not.toContain("-bios");
  });
  it("passes only a guest exit 0 with the line seen", () => {
    expect(t.failure(run({}))).toBeNull();
    expect(t.failure(run({ status: 3 }))).toMatch(/guest exit 1/);
    expect(t.failure(run({ firstMatchMs: null }))).toMatch(/never appeared/);
    expect(t.failure(run({ timedOut: true }))).toMatch(/timed out/);
  });
});

describe("linuxVmTarget", () => {
  const t = linuxVmTarget({ qemu: "q", vmlinuz: "vmlinuz", initrd: "initrd", tscKhz: 2_596_150 });
  it("boots the kernel with the initrd under TCG with the TSC rate", () => {
    const args = t.command(64).args.join(" ");
    expect(args).toContain("-accel tcg");
    expect(args).toContain("-initrd initrd");
    expect(args).toContain("tsc_early_khz=2596150");
  });
  it("needs node's exit status 0 on the console", () => {
    expect(t.failure(run({ status: 0, output: `${HELLO_LINE}\nlinux-vm: node exited 0\n` }))).toBeNull();
    expect(t.failure(run({ status: 0, output: "Kernel panic" }))).toMatch(/did not exit 0/);
  });
});

describe("nodeHostTarget", () => {
  it("prints the hello line with node -e", () => {
    const { args } = nodeHostTarget("/usr/bin/node").command();
    expect(args[0]).toBe("-e");
    expect(args[1]).toContain(HELLO_LINE);
  });
});

describe("parseGuestToMainMs", () => {
  it("reads hello's line", () => {
    expect(parseGuestToMainMs("x\nguest time from first instruction to main: 22.57 ms\n")).toBe(22.57);
    expect(parseGuestToMainMs("nothing")).toBeUndefined();
  });
});
