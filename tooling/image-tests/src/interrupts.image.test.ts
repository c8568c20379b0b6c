// The kernel's interrupt path end to end: IOAPIC routing, delivery to a JS handler from the event
// loop, handlers keeping the guest alive, on KVM and TCG and on both machine types.
import { describe, expect, it } from "vitest";
import { boot, fixture, link } from "./boot.js";

describe.each([
  ["microvm", "kvm"],
  ["microvm", "tcg"],
  ["q35", "tcg"],
] as const)("device interrupts on %s/%s", (machine, accel) => {
  it("an RTC interrupt reaches its JS handler until the handler removes itself", async () => {
    // microvm creates its RTC under KVM only when asked (rtc=auto means TCG only).
    const extraArgs = machine === "microvm" ? ["-M", "rtc=on"] : [];
    const r = await boot(await link(fixture("rtc-irq")), { machine, accel, extraArgs, timeoutMs: 30_000 });
    expect(r.output).toContain("waiting for RTC interrupts");
    expect(r.output).toMatch(/received 5 RTC interrupts on vector \d+/);
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(0);
  }, 120_000);
});
