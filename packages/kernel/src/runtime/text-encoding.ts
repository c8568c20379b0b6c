// Runtime layer (runs inside the image): the WHATWG `TextEncoder` and `TextDecoder` globals (UTF-8
// only), thin classes over utf8.ts. Imports only utf8.ts.
import { encodeUtf8, encodeUtf8Into, Utf8Decoder } from "./utf8.js";

type BufferSourceLike = ArrayBuffer | ArrayBufferView;

/**
 * Encodes strings as UTF-8, as the web platform's `TextEncoder` (lone surrogates become U+FFFD).
 *
 * @example
 * ```ts
 * new TextEncoder().encode("é"); // Uint8Array(2) [ 195, 169 ]
 * ```
 */
export class TextEncoder {
  /** Always `"utf-8"`. */
  get encoding(): "utf-8" {
    return "utf-8";
  }

  /**
   * Encodes a string.
   *
   * @param input - the text; `undefined` encodes as `""`
   * @returns its UTF-8 bytes
   * @example
   * ```ts
   * new TextEncoder().encode("hi"); // Uint8Array(2) [ 104, 105 ]
   * ```
   */
  encode(input: string = ""): Uint8Array {
    return encodeUtf8(String(input));
  }

  /**
   * Encodes into an existing array, never splitting a character.
   *
   * @param source - the text
   * @param destination - where to write, from its start
   * @returns `read` (UTF-16 code units consumed) and `written` (bytes)
   * @example
   * ```ts
   * new TextEncoder().encodeInto("héllo", new Uint8Array(2)); // { read: 1, written: 1 }
   * ```
   */
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number } {
    if (!(destination instanceof Uint8Array)) throw new TypeError('The "dest" argument must be an instance of Uint8Array');
    return encodeUtf8Into(String(source), destination);
  }
}

const UTF8_LABELS = ["unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"];

/**
 * Decodes UTF-8 bytes, as the web platform's `TextDecoder` (only UTF-8): invalid sequences become
 * U+FFFD unless `fatal`, a leading BOM is dropped unless `ignoreBOM`, and `{ stream: true }` keeps
 * a character split across calls.
 *
 * @example
 * ```ts
 * new TextDecoder().decode(new Uint8Array([0xe2, 0x82, 0xac])); // "€"
 * ```
 */
export class TextDecoder {
  /** Always `"utf-8"`. */
  readonly encoding = "utf-8";
  /** Whether invalid input throws instead of decoding to U+FFFD. */
  readonly fatal: boolean;
  /** Whether a leading byte-order mark is kept. */
  readonly ignoreBOM: boolean;
  private readonly decoder = new Utf8Decoder();
  private streaming = false;
  private bomChecked = false;

  /**
   * Creates a decoder.
   *
   * @param label - an encoding label; only UTF-8 labels (`"utf-8"`, `"utf8"`, ...) are supported
   * @param options - `fatal` and `ignoreBOM`
   * @returns the decoder
   * @throws RangeError for any other encoding.
   * @example
   * ```ts
   * const strict = new TextDecoder("utf-8", { fatal: true });
   * ```
   */
  constructor(label: string = "utf-8", options: { fatal?: boolean; ignoreBOM?: boolean } = {}) {
    const name = String(label).trim().toLowerCase();
    if (!UTF8_LABELS.includes(name)) throw new RangeError(`The "${label}" encoding is not supported`);
    this.fatal = Boolean(options.fatal);
    this.ignoreBOM = Boolean(options.ignoreBOM);
  }

  /**
   * Decodes a chunk.
   *
   * @param input - bytes (an ArrayBuffer or any view); nothing means an empty chunk
   * @param options - `stream: true` when more chunks follow
   * @returns the text
   * @throws TypeError on invalid UTF-8 when `fatal`, or when `input` is not bytes.
   * @example
   * ```ts
   * const d = new TextDecoder();
   * d.decode(new Uint8Array([0xe2, 0x82]), { stream: true }) + d.decode(new Uint8Array([0xac])); // "€"
   * ```
   */
  decode(input?: BufferSourceLike, options: { stream?: boolean } = {}): string {
    if (!this.streaming) {
      this.decoder.reset();
      this.bomChecked = false;
    }
    this.streaming = Boolean(options.stream);
    const bytes = toBytes(input);
    let text = this.decoder.decode(bytes, !this.streaming, this.fatal);
    if (text === null) {
      this.streaming = false;
      const err = new TypeError("The encoded data was not valid for encoding utf-8") as TypeError & { code: string };
      err.code = "ERR_ENCODING_INVALID_ENCODED_DATA";
      throw err;
    }
    if (!this.bomChecked && text !== "") {
      // The BOM can only be the first code point of the stream (WHATWG Encoding §6, "decode").
      if (!this.ignoreBOM && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.bomChecked = true;
    }
    return text;
  }
}

function toBytes(input: BufferSourceLike | undefined): Uint8Array {
  if (input === undefined) return new Uint8Array(0);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (input instanceof ArrayBuffer || Object.prototype.toString.call(input) === "[object SharedArrayBuffer]") {
    return new Uint8Array(input as ArrayBuffer);
  }
  throw new TypeError('The "input" argument must be an instance of ArrayBuffer or ArrayBufferView');
}
