#!/usr/bin/env node
// Repo tooling: writes the "bare PVH kernel" — a PVH ELF that writes one byte to the serial port
// and exits through isa-debug-exit — the baseline for boot-time comparisons (same QEMU flags as a
// Toro image). Uses @toro/vm's buildBarePvhKernel from its build output (run `pnpm build` first).
// Usage: node tooling/scripts/bare-pvh.mjs [--out bare-pvh.elf] [--message T] [--exit-code 0] [--elf64] [--hang]
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    out: { type: "string", default: "bare-pvh.elf" },
    message: { type: "string", default: "T" },
    "exit-code": { type: "string", default: "0" },
    elf64: { type: "boolean", default: false },
    hang: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log("usage: node tooling/scripts/bare-pvh.mjs [--out FILE] [--message TEXT] [--exit-code N] [--elf64] [--hang]");
  process.exit(0);
}

let vm;
try {
  vm = await import(new URL("../../packages/vm/dist/index.js", import.meta.url).href);
} catch {
  console.error("bare-pvh: packages/vm is not built; run `pnpm build` (or `pnpm --filter @toro/vm build`) first");
  process.exit(2);
}
const elf = vm.buildBarePvhKernel({
  message: values.message,
  exitCode: Number(values["exit-code"]),
  elfClass: values.elf64 ? 64 : 32,
  hang: values.hang,
});
writeFileSync(values.out, elf);
console.log(`bare-pvh: wrote ${values.out} (${elf.length} bytes); boot it with: run-image ${values.out}`);
