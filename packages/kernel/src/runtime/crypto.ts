// Runtime layer (runs inside the image): the `crypto` global (getRandomValues, randomUUID) over the
// kernel's RDSEED/RDRAND fill. Pure: the fill function is a parameter. Imports only errors.ts.
import { ToroError } from "../errors.js";

/** The subset of Web Crypto the image provides. */
export interface ToroCrypto {
  getRandomValues<T extends ArrayBufferView | null>(array: T): T;
  randomUUID(): string;
}

const INTEGER_ARRAYS = new Set(["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array", "BigInt64Array", "BigUint64Array"]);
const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype) as object, Symbol.toStringTag)!.get!;

/**
 * Builds `crypto` over `randomFill`, which fills bytes from the CPU's RNG and returns false when
 * the CPU has none.
 *
 * @returns the crypto object
 */
export function createCrypto(randomFill: (bytes: Uint8Array) => boolean): ToroCrypto {
  const fill = (bytes: Uint8Array) => {
    if (bytes.length > 0 && !randomFill(bytes)) {
      throw new ToroError("ENOTSUP", "crypto.getRandomValues: this CPU has neither RDRAND nor RDSEED, so there is no source of randomness", {
        hint: "run the VM with a CPU model that has them, e.g. QEMU -cpu max (TCG) or -cpu host (KVM)",
      });
    }
  };
  return {
    getRandomValues<T extends ArrayBufferView | null>(array: T): T {
      const name = ArrayBuffer.isView(array) ? (typedArrayTag.call(array) as string | undefined) : undefined;
      if (name === undefined || !INTEGER_ARRAYS.has(name)) {
        throw domError("TypeMismatchError", 17, "The data argument must be an integer-type TypedArray");
      }
      const view = array as unknown as ArrayBufferView;
      if (view.byteLength > 65536) {
        throw domError("QuotaExceededError", 22, `The ArrayBufferView's byte length (${view.byteLength}) exceeds the number of bytes of entropy available via this API (65536)`);
      }
      fill(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
      return array;
    },
    randomUUID(): string {
      const b = new Uint8Array(16);
      fill(b);
      b[6] = (b[6]! & 0x0f) | 0x40; // RFC 9562 §5.4: version 4
      b[8] = (b[8]! & 0x3f) | 0x80; // RFC 9562 §4.1: variant 10
      let hex = "";
      for (let i = 0; i < 16; i++) {
        hex += (b[i]! < 16 ? "0" : "") + b[i]!.toString(16);
        if (i === 3 || i === 5 || i === 7 || i === 9) hex += "-";
      }
      return hex;
    },
  };
}

// There is no DOMException in QuickJS: an Error with the same name and legacy code is what callers test.
function domError(name: string, code: number, message: string): Error {
  const err = new Error(message) as Error & { code: number };
  err.name = name;
  err.code = code;
  return err;
}
