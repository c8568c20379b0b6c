// VFS text layer (@toro/fs/vfs): UTF-8 decoding for string contents of readFile (encoding is
// @toro/kernel's `encodeUtf8`). Written here rather than using TextDecoder so the package needs no
// runtime globals. Pure; imports nothing.

/** Decodes UTF-8; malformed sequences become U+FFFD (as TextDecoder without `fatal`). */
export function utf8Decode(b: Uint8Array): string {
  let out = "";
  const units: number[] = [];
  const flush = (): void => {
    out += String.fromCharCode(...units);
    units.length = 0;
  };
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    let cp = 0xfffd;
    let n = 1;
    if (c < 0x80) cp = c;
    else if (c >= 0xc2 && c < 0xe0) n = 2;
    else if (c >= 0xe0 && c < 0xf0) n = 3;
    else if (c >= 0xf0 && c < 0xf5) n = 4;
    if (n > 1) {
      let v = c & (0xff >> (n + 1));
      let ok = i + n <= b.length;
      for (let k = 1; ok && k < n; k++) {
        const d = b[i + k]!;
        if ((d & 0xc0) !== 0x80) ok = false;
        else v = (v << 6) | (d & 63);
      }
      const min = n === 2 ? 0x80 : n === 3 ? 0x800 : 0x10000;
      if (ok && v >= min && v <= 0x10ffff && !(v >= 0xd800 && v <= 0xdfff)) cp = v;
      else n = 1;
    }
    i += n;
    if (cp >= 0x10000) units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
    else units.push(cp);
    if (units.length > 4096) flush();
  }
  flush();
  return out;
}
