// Build-time layer of @toro/linker: encodes (and, for tests and tools, decodes) the image payload
// defined in docs/internals.md §2. Pure byte work: it must not import esbuild, typescript or fs.
import { ToroError } from "@toro/kernel";

/** One program in the payload, evaluated by the kernel in table order. */
export interface PayloadEntry {
  /** `"script"` is evaluated as a classic script, `"module"` as an ES module. */
  kind: "script" | "module";
  /** `"source"` is UTF-8 JavaScript, `"bytecode"` is QuickJS `JS_WriteObject` output. */
  encoding: "source" | "bytecode";
  /** File name used in stack traces, e.g. `"main.js"`. */
  name: string;
  body: Uint8Array;
}

/** A decoded payload. */
export interface DecodedPayload {
  /** The engine id of the bytecode entries, `null` when the header holds zeros (all source). */
  engineId: string | null;
  entries: PayloadEntry[];
  /** The header's totalLength. */
  totalLength: number;
}

const MAGIC = "TOROIMG1";
const HEADER_BYTES = 32;
const ENTRY_BYTES = 24;
const ENGINE_ID_BYTES = 16;
// Bodies are 8-byte aligned so the kernel can read bytecode in place without copying.
const BODY_ALIGN = 8;

const KIND_CODE = { script: 1, module: 2 } as const;
const ENCODING_CODE = { source: 1, bytecode: 2 } as const;

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

/**
 * Lays out the payload: header, entry table, names, then 8-byte aligned bodies.
 * `engineId` must be given when any entry is bytecode and is written as zeros otherwise.
 */
export function encodePayload(entries: readonly PayloadEntry[], engineId: string | null): Uint8Array {
  const hasBytecode = entries.some((e) => e.encoding === "bytecode");
  if (hasBytecode && engineId === null) {
    throw new ToroError("EINVAL", "a payload with bytecode entries needs the engine id", {
      hint: "pass the manifest's engine.id",
    });
  }
  if (engineId !== null && !/^[0-9a-f]{16}$/.test(engineId)) {
    throw new ToroError("EINVAL", `engine id ${JSON.stringify(engineId)} is not 16 lowercase hex digits`);
  }
  const encoder = new TextEncoder();
  const names = entries.map((e) => encoder.encode(e.name));
  let cursor = HEADER_BYTES + ENTRY_BYTES * entries.length;
  const nameOffsets = names.map((n) => {
    const at = cursor;
    cursor += n.length;
    return at;
  });
  const bodyOffsets = entries.map((e) => {
    cursor = alignUp(cursor, BODY_ALIGN);
    const at = cursor;
    cursor += e.body.length;
    return at;
  });
  const total = cursor;
  if (total > 0xffff_ffff) throw new ToroError("E2BIG", `payload of ${total} bytes does not fit a u32 length`);

  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(encoder.encode(MAGIC), 0);
  view.setUint32(8, entries.length, true);
  view.setUint32(12, total, true);
  // All entries source: the kernel needs no engine check, so the id field stays zero.
  if (hasBytecode && engineId !== null) out.set(encoder.encode(engineId), 16);
  entries.forEach((e, i) => {
    const at = HEADER_BYTES + ENTRY_BYTES * i;
    view.setUint32(at, KIND_CODE[e.kind], true);
    view.setUint32(at + 4, ENCODING_CODE[e.encoding], true);
    view.setUint32(at + 8, nameOffsets[i] ?? 0, true);
    view.setUint32(at + 12, names[i]?.length ?? 0, true);
    view.setUint32(at + 16, bodyOffsets[i] ?? 0, true);
    view.setUint32(at + 20, e.body.length, true);
    out.set(names[i] ?? new Uint8Array(), nameOffsets[i]);
    out.set(e.body, bodyOffsets[i]);
  });
  return out;
}

/**
 * Reads a payload back, checking every offset against its bounds; the inverse of
 * {@link encodePayload}. Throws a ToroError "EPAYLOAD" on malformed bytes.
 */
export function decodePayload(bytes: Uint8Array): DecodedPayload {
  const fail = (what: string): never => {
    throw new ToroError("EPAYLOAD", `malformed Toro payload: ${what}`, {
      hint: "relink the image with link-image",
    });
  };
  if (bytes.length < HEADER_BYTES) fail(`only ${bytes.length} bytes`);
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  const decode = (b: Uint8Array, what: string): string => {
    try {
      return utf8.decode(b);
    } catch {
      return fail(`${what} is not UTF-8`);
    }
  };
  if (decode(bytes.subarray(0, 8), "magic") !== MAGIC) fail("bad magic");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(8, true);
  const total = view.getUint32(12, true);
  if (total > bytes.length) fail(`totalLength ${total} exceeds the ${bytes.length} bytes given`);
  if (HEADER_BYTES + ENTRY_BYTES * count > total) fail(`entry table of ${count} entries overruns the payload`);
  const idBytes = bytes.subarray(16, 16 + ENGINE_ID_BYTES);
  const engineId = idBytes.every((b) => b === 0) ? null : decode(idBytes, "engine id");

  const within = (offset: number, length: number): boolean => offset + length <= total;
  const entries: PayloadEntry[] = [];
  for (let i = 0; i < count; i++) {
    const at = HEADER_BYTES + ENTRY_BYTES * i;
    const kindCode = view.getUint32(at, true);
    const encodingCode = view.getUint32(at + 4, true);
    const nameOffset = view.getUint32(at + 8, true);
    const nameLength = view.getUint32(at + 12, true);
    const bodyOffset = view.getUint32(at + 16, true);
    const bodyLength = view.getUint32(at + 20, true);
    const kind = kindCode === 1 ? "script" : kindCode === 2 ? "module" : fail(`entry ${i}: kind ${kindCode}`);
    const encoding =
      encodingCode === 1 ? "source" : encodingCode === 2 ? "bytecode" : fail(`entry ${i}: encoding ${encodingCode}`);
    if (!within(nameOffset, nameLength)) fail(`entry ${i}: name out of bounds`);
    if (!within(bodyOffset, bodyLength)) fail(`entry ${i}: body out of bounds`);
    if (bodyOffset % BODY_ALIGN !== 0) fail(`entry ${i}: body offset ${bodyOffset} not 8-byte aligned`);
    entries.push({
      kind,
      encoding,
      name: decode(bytes.subarray(nameOffset, nameOffset + nameLength), `entry ${i}: name`),
      body: bytes.slice(bodyOffset, bodyOffset + bodyLength),
    });
  }
  return { engineId, entries, totalLength: total };
}
