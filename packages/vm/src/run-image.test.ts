// Image tests: these really boot QEMU, with bare PVH kernels emitted by buildBarePvhKernel, so they
// do not depend on @toro/kernel being built.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildBarePvhKernel, type BarePvhOptions } from "./bare-pvh.js";
import { RunImageError } from "./errors.js";
import { runImage } from "./run-image.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "toro-run-image-"));
});

async function kernel(name: string, options: BarePvhOptions): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, buildBarePvhKernel(options));
  return path;
}

describe("runImage", () => {
  for (const machine of ["microvm", "q35"] as const) {
    it(`returns the guest's exit code and console output on ${machine}`, async () => {
      const image = await kernel(`exit-${machine}.elf`, { message: `hello from ${machine}\n`, exitCode: 3 });
      const chunks: string[] = [];
      const result = await runImage({ image, machine, timeoutMs: 60_000, onOutput: (c) => chunks.push(c), notes: null });
      expect(result.exitCode).toBe(3);
      expect(result.qemuStatus).toBe(7);
      expect(result.timedOut).toBe(false);
      expect(result.output).toBe(`hello from ${machine}\n`);
      expect(chunks.join("")).toBe(result.output);
      expect(result.command).toContain(machine);
      expect(result.durationMs).toBeGreaterThan(0);
    }, 90_000);
  }

  it("boots an ELF64 image under TCG and reports exit code 0", async () => {
    const image = await kernel("elf64.elf", { message: "64", exitCode: 0, elfClass: 64 });
    const result = await runImage({ image, accel: "tcg", timeoutMs: 60_000, notes: null });
    expect(result).toMatchObject({ exitCode: 0, qemuStatus: 1, output: "64", accel: "tcg", timedOut: false });
  });

  it("reports no exit code when the guest triple-faults (QEMU exits 0 under -no-reboot)", async () => {
    const image = await kernel("fault.elf", { message: "bye", tripleFault: true });
    const result = await runImage({ image, accel: "tcg", timeoutMs: 60_000, notes: null });
    expect(result).toMatchObject({ exitCode: null, qemuStatus: 0, signal: null, timedOut: false, output: "bye" });
  });

  it("streams the console to a writable sink", async () => {
    const image = await kernel("sink.elf", { message: "to the sink", exitCode: 1 });
    const written: Buffer[] = [];
    const result = await runImage({ image, accel: "tcg", notes: null, stream: { write: (c) => written.push(Buffer.from(c)) } });
    expect(Buffer.concat(written).toString()).toBe("to the sink");
    expect(result.exitCode).toBe(1);
  });

  it("stops a guest stuck in a loop at the timeout and reports it", async () => {
    const image = await kernel("hang.elf", { message: "spinning", hang: true });
    const result = await runImage({ image, timeoutMs: 1500, notes: null });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
    expect(result.output).toBe("spinning");
  }, 30_000);

  it("stops the VM and rejects when aborted", async () => {
    const image = await kernel("abort.elf", { message: "x", hang: true });
    const controller = new AbortController();
    const running = runImage({ image, notes: null, signal: controller.signal, onOutput: () => controller.abort(new Error("enough")) });
    await expect(running).rejects.toThrow("enough");
  }, 30_000);

  it("stops the VM and rejects when the output callback throws", async () => {
    const image = await kernel("throw.elf", { message: "x", hang: true });
    const running = runImage({
      image,
      notes: null,
      onOutput: () => {
        throw new Error("callback failed");
      },
    });
    await expect(running).rejects.toThrow("callback failed");
  }, 30_000);

  it("prints the TCG note only when auto falls back", async () => {
    const image = await kernel("note.elf", { exitCode: 0 });
    const notes: string[] = [];
    await runImage({ image, accel: "tcg", notes: { write: (c) => notes.push(String(c)) } });
    expect(notes.join("")).not.toMatch(/using TCG/);
  });

  it("reports QEMU's own start-up failure as EQEMU, not as guest exit 0", async () => {
    const elf = buildBarePvhKernel();
    // Turn the PVH note into an unknown note type: QEMU then refuses the kernel and exits 1.
    const view = new DataView(elf.buffer);
    const is64 = elf[4] === 2;
    const phoff = is64 ? 64 : 52;
    const noteOffset = view.getUint32(phoff + (is64 ? 56 + 8 : 32 + 4), true);
    view.setUint32(noteOffset + 8, 99, true);
    const image = join(dir, "no-pvh.elf");
    await writeFile(image, elf);
    await expect(runImage({ image, accel: "tcg", notes: null })).rejects.toMatchObject({ code: "EQEMU", message: expect.stringMatching(/PVH/) });
  });

  it("fails clearly when QEMU is missing or the image is bad", async () => {
    const image = await kernel("ok.elf", {});
    await expect(runImage({ image, qemuPath: join(dir, "no-qemu") })).rejects.toMatchObject({ code: "ENOQEMU" });
    await expect(runImage({ image: join(dir, "missing.img") })).rejects.toMatchObject({ code: "ENOENT" });
    await writeFile(join(dir, "text.img"), "not an elf");
    await expect(runImage({ image: join(dir, "text.img") })).rejects.toBeInstanceOf(RunImageError);
  });
});
