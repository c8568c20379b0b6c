// Image test of apps/threads: link it (workspace packages from source), boot it on one core, and check
// the order the guest printed — sleepers by deadline, yields FIFO, ping/pong in lock step — and that
// its memory came back. Host-side test code; imports the public APIs of the linker and the VM only.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { linkImage } from "@toro/linker";
import { runImage } from "@toro/vm";
import { describe, expect, it } from "vitest";

const appDir = fileURLToPath(new URL("..", import.meta.url));
const kernelElf = fileURLToPath(new URL("../../../packages/kernel/dist/toro-kernel.elf", import.meta.url));

// The kernel is built by `pnpm build` before the tests (README, .ci/run): its absence is a failure.
if (!existsSync(kernelElf)) throw new Error(`the kernel is not built (${kernelElf}): run \`pnpm build\` first`);

describe("apps/threads in a VM", () => {
  it("prints the expected order and frees all its memory", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "toro-threads-")), "threads.img");
    const { imagePath } = await linkImage({ appDir, out, sourceCondition: true });
    const r = await runImage({ image: imagePath, timeoutMs: 60_000, notes: null });
    const lines = r.output.split("\n").map((l) => l.replace(/^\[\s*\d+ms\] /, "").trim());
    expect(lines.filter((l) => l.startsWith("sleeper"))).toEqual(["sleeper-10 woke", "sleeper-20 woke", "sleeper-30 woke"]);
    expect(lines.filter((l) => l.startsWith("yield"))).toEqual(["yield a0", "yield b0", "yield a1", "yield b1"]);
    expect(lines.filter((l) => l.startsWith("ping") || l.startsWith("pong"))).toEqual([
      "ping sent 1", "pong got 1", "ping got 10",
      "ping sent 2", "pong got 2", "ping got 20",
      "ping sent 3", "pong got 3", "ping got 30",
    ]);
    expect(r.output).toContain("memory: inUse=0");
    expect(r.output).toContain("threads: order OK");
    expect(r.exitCode).toBe(0);
  }, 120_000);
});
