// FAT naming layer (@toro/fs/fat): the OEM code pages short (8.3) names are stored in. Bytes below
// 0x80 are ASCII; the upper half depends on the code page the writer used (fatgen103 §6 leaves it to
// the system). mtools defaults to CP850, Linux's vfat driver to CP437 (`codepage=437`); the two agree
// on the accented letters at 0x80..0xA5 and differ above. Pure tables; imports nothing.

/**
 * An OEM code page for short names: 437 (IBM PC, Linux's default) or 850 (Latin-1 DOS, mtools' default).
 *
 * @example
 * ```ts
 * const fat = await mountFat(disk, { codePage: 437 satisfies OemCodePage });
 * ```
 */
export type OemCodePage = 437 | 850;

// The upper halves (0x80..0xFF), one character per byte, written out by hand from the IBM tables.
const CP437_HIGH =
  "ÇüéâäàåçêëèïîìÄÅ" +
  "ÉæÆôöòûùÿÖÜ¢£¥₧ƒ" +
  "áíóúñÑªº¿⌐¬½¼¡«»" +
  "░▒▓│┤╡╢╖╕╣║╗╝╜╛┐" +
  "└┴┬├─┼╞╟╚╔╩╦╠═╬╧" +
  "╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀" +
  "αßΓπΣσµτΦΘΩδ∞φε∩" +
  "≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0";

const CP850_HIGH =
  "ÇüéâäàåçêëèïîìÄÅ" +
  "ÉæÆôöòûùÿÖÜø£Ø×ƒ" +
  "áíóúñÑªº¿®¬½¼¡«»" +
  "░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐" +
  "└┴┬├─┼ãÃ╚╔╩╦╠═╬¤" +
  "ðÐÊËÈıÍÎÏ┘┌█▄¦Ì▀" +
  "ÓßÔÒõÕµþÞÚÛÙýÝ¯´" +
  "\u00ad±‗¾¶§÷¸°¨·¹³²■\u00a0";

/**
 * @internal Decodes OEM bytes (a short name's base or extension) to a string.
 *
 * @param bytes - the raw bytes
 * @param codePage - the code page they were written in
 * @returns the text
 */
export function decodeOem(bytes: ArrayLike<number>, codePage: OemCodePage): string {
  const high = codePage === 437 ? CP437_HIGH : CP850_HIGH;
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    out += b < 0x80 ? String.fromCharCode(b) : high[b - 0x80]!;
  }
  return out;
}
