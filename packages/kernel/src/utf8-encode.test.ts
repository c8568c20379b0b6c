import { describe, expect, it } from "vitest";
import { encodeUtf8 } from "./index.js";

describe("encodeUtf8 (public export)", () => {
  it("matches TextEncoder, astral characters and lone surrogates included", () => {
    const samples = ["", "hello", "héllo ☃ 😀 \u0000 end", "a\ud800b", "\udc00", "x\ud83d", "\ud83d\ude00\ud83d"];
    for (const s of samples) expect(encodeUtf8(s), JSON.stringify(s)).toEqual(new TextEncoder().encode(s));
  });

  it("returns an array of exactly the encoded length", () => {
    const bytes = encodeUtf8("é☃");
    expect(Array.from(bytes)).toEqual([195, 169, 226, 152, 131]);
    expect(bytes.buffer.byteLength).toBe(5);
  });
});
