// Writes dist/toro-kernel.json (docs/internals.md §1): which program header takes the app payload, at
// what address, the engine id, and how many image bytes the core, the engine, libc and the runtime
// glue take (from the linker map). Build-time host script; imports only node: modules.
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { elf: { type: "string" }, "debug-elf": { type: "string" }, map: { type: "string" }, "engine-id": { type: "string" }, out: { type: "string" } },
});

const PT_LOAD = 1;
const elf = readFileSync(values.elf);
const phoff = Number(elf.readBigUInt64LE(0x20));
const phentsize = elf.readUInt16LE(0x36);
const phnum = elf.readUInt16LE(0x38);
const phdrs = [];
for (let i = 0; i < phnum; i++) {
  const o = phoff + i * phentsize;
  phdrs.push({ type: elf.readUInt32LE(o), flags: elf.readUInt32LE(o + 4), vaddr: Number(elf.readBigUInt64LE(o + 16)), filesz: Number(elf.readBigUInt64LE(o + 32)) });
}
const payloadPhdrIndex = phdrs.length - 1;
const last = phdrs[payloadPhdrIndex];
if (last.type !== PT_LOAD || last.filesz > 16 || last.vaddr === 0) throw new Error(`manifest: the last program header is not the empty payload PT_LOAD: ${JSON.stringify(last)}`);

// Image bytes per input group, from the linker map (allocated sections with file contents only).
const groups = { core: 0, engine: 0, runtime: 0, libc: 0 };
const lines = readFileSync(values.map, "utf8").split("\n");
let pendingSection = null;
let inDiscard = false;
for (const line of lines) {
  if (line.startsWith("/DISCARD/")) inDiscard = true;
  else if (/^\S/.test(line)) inDiscard = false;
  if (inDiscard) continue;
  let m = /^ (\.[\w.$-]+)\s*$/.exec(line);
  if (m) { pendingSection = m[1]; continue; }
  m = /^ (\.[\w.$-]+)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)/.exec(line);
  if (!m) { pendingSection = null; continue; }
  const section = m[1] ?? pendingSection;
  pendingSection = null;
  if (!section || /^\.(bss|tbss|comment|note\.GNU|debug)/.test(section)) continue;
  const size = parseInt(m[3], 16);
  const file = m[4];
  if (file.includes("build/core/")) groups.core += section.startsWith(".bss") || section.startsWith(".core.bss") ? 0 : size;
  else if (file.includes("build/qjs/")) groups.engine += size;
  else if (file.includes("build/user/")) groups.runtime += size;
  else if (file.includes("musl") || file.includes("libgcc")) groups.libc += size;
}

const manifest = {
  format: 1,
  payloadPhdrIndex,
  payloadAddress: last.vaddr,
  engine: { name: "quickjs", version: "2021-03-27", id: values["engine-id"] },
  sizes: { ...groups, total: elf.length },
};
writeFileSync(values.out, JSON.stringify(manifest, null, 2) + "\n");
