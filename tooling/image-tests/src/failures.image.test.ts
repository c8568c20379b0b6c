// What a failing guest looks like from the host: uncaught exceptions and rejections print the error
// and its JS stack and exit 1; a guest stuck in a loop is stopped by the timeout; exit codes arrive;
// a CPU exception prints the CPU state and exits 3.
import { describe, expect, it } from "vitest";
import { boot, fixture, link } from "./boot.js";

describe("failing guests", () => {
  it("an uncaught exception prints the message and the JS stack, exit 1", async () => {
    const r = await boot(await link(fixture("throws")));
    expect(r.output).toContain("starting");
    expect(r.output).toContain("Uncaught Error: config is empty");
    expect(r.output).toMatch(/at parseConfig \(main\.js:\d+\)/);
    expect(r.output).toMatch(/at main \(main\.js:\d+\)/);
    expect(r.output).not.toContain("unreachable");
    expect(r.exitCode).toBe(1);
  }, 120_000);

  it("an unhandled rejection prints the reason and exits 1", async () => {
    const r = await boot(await link(fixture("rejects")));
    expect(r.output).toContain("connecting");
    expect(r.output).toContain("Uncaught (in promise) TypeError: peer went away");
    expect(r.output).toMatch(/at connect \(main\.js:\d+\)/);
    expect(r.exitCode).toBe(1);
  }, 120_000);

  it("a guest stuck in a loop is stopped by the timeout and reported as such", async () => {
    const r = await boot(await link(fixture("spins")), { timeoutMs: 3000 });
    expect(r.output).toContain("spinning");
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
  }, 120_000);

  it.each([0, 1, 42, 127])("exit(%i) is the code the host sees", async (code) => {
    const r = await boot(await link(fixture("exit-code")), { cmdline: `code=${code}` });
    expect(r.output).toContain(`exiting with ${code}`);
    expect(r.exitCode).toBe(code);
  }, 120_000);

  it("a CPU exception prints the vector, registers and faulting address, exit 3", async () => {
    const r = await boot(await link(fixture("exit-code")), { cmdline: "toro.selftest=page-fault" });
    expect(r.output).toContain("toro: CPU exception 14 (page fault) in ring 3");
    expect(r.output).toContain("faulting address (cr2)=0x00007ff000000000");
    expect(r.output).toMatch(/rip=0x[0-9a-f]{16}/);
    expect(r.output).toMatch(/rsp=0x[0-9a-f]{16}/);
    expect(r.exitCode).toBe(3);
  }, 120_000);

  it("a CPU exception inside a JS call also prints the JS stack that led to it", async () => {
    const r = await boot(await link(fixture("js-fault")), { cmdline: "toro.selftest=js-fault" });
    expect(r.output).toContain("about to fault");
    expect(r.output).toContain("toro: CPU exception 14 (page fault) in ring 3");
    expect(r.output).toContain("JS stack at the fault:");
    expect(r.output).toMatch(/at touchDevice \(main\.js:\d+\)/);
    expect(r.output).toMatch(/at handleRequest \(main\.js:\d+\)/);
    expect(r.exitCode).toBe(3);
  }, 120_000);

  it("ring 3 cannot write the core's pages: a write to its page tables faults (present|write|user)", async () => {
    const r = await boot(await link(fixture("exit-code")), { cmdline: "toro.selftest=write-core" });
    expect(r.output).toContain("toro: CPU exception 14 (page fault) in ring 3");
    expect(r.output).toMatch(/err=0x0000000000000007/);
    expect(r.exitCode).toBe(3);
  }, 120_000);
});
