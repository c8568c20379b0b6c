// Message layer of @toro/http: body helpers shared by requests and responses — collecting an async
// iterable of bytes, with a size bound. Imports only the byte helpers and @toro/kernel's error base
// and UTF-8 encoder.
import { encodeUtf8, ToroError } from "@toro/kernel";
import { concatBytes } from "./ascii.js";

/** @internal Reads an iterable of byte chunks to the end, refusing more than `maxBytes`. */
export async function collectBytes(body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, maxBytes = Infinity): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const chunk of body) {
    const c = typeof chunk === "string" ? encodeUtf8(chunk) : chunk;
    n += c.length;
    if (n > maxBytes) throw new ToroError("EFBIG", `body larger than ${maxBytes} bytes`);
    parts.push(c);
  }
  return parts.length === 1 ? parts[0]! : concatBytes(parts);
}

/** @internal An async iterable with no chunks. */
export const emptyBody: AsyncIterable<Uint8Array> = {
  [Symbol.asyncIterator]: () => ({ next: async () => ({ value: undefined, done: true }) }),
};
