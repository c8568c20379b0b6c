// Runs the host test of the kernel's C engine heap (native/user/heap.c): random allocation sequences
// checked against a model, merging back to one block, and misuse reports. Compiled here with gcc and
// AddressSanitizer so an out-of-bounds write in the allocator fails the test too.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const native = fileURLToPath(new URL("../native", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "toro-heap-"));
const binary = join(dir, "heap-test");

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("engine heap (native/user/heap.c)", () => {
  it("compiles with AddressSanitizer", () => {
    execFileSync("gcc", ["-O1", "-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-o", binary,
      join(native, "tools/heap-test.c"), join(native, "user/heap.c")]);
  }, 60_000);

  it.each([1, 2, 3, 4])("survives 200k random operations with seed %i, then merges back to one block", (seed) => {
    const out = execFileSync(binary, [String(seed)], { encoding: "utf8" });
    expect(out).toMatch(/^OK peak=\d+ allocs=\d+/);
  }, 60_000);
});
