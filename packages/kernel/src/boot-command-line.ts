// Parser of the boot command line (QEMU `-append`), a pure function over outside input. Part of the
// hardware face; imports nothing. It never throws: any string parses to something.

/** The boot command line, split Linux-style. */
export interface BootCommandLine {
  /** Words after a standalone `--`, verbatim (quotes removed), in order: the app's arguments. */
  args: string[];
  /** `key=value` pairs (value a string, possibly empty) and bare flags (`true`); the last one wins. */
  options: Record<string, string | true>;
}

/**
 * Splits a boot command line the way Linux splits its kernel parameters: words are separated by
 * whitespace, double quotes group spaces into a word and are removed (`motd="hello world"`), the
 * first `=` splits a word into key and value, a word without `=` is a flag, and every word after a
 * standalone `--` is an argument. There are no backslash escapes (Linux has none); an unterminated
 * quote runs to the end. The options object has no prototype, so `__proto__=x` is just a key.
 *
 * @param cmdline - the raw command line, e.g. from `bootCommandLine()`
 * @returns the flags/options and the arguments
 * @example
 * ```ts
 * parseBootCommandLine('debug port=8080 motd="hi there" -- a b');
 * // { options: { debug: true, port: "8080", motd: "hi there" }, args: ["a", "b"] }
 * ```
 */
export function parseBootCommandLine(cmdline: string): BootCommandLine {
  const options: Record<string, string | true> = Object.create(null);
  const args: string[] = [];
  let afterDashes = false;
  const text = String(cmdline);
  let i = 0;
  while (i < text.length) {
    if (isSpace(text.charCodeAt(i))) {
      i++;
      continue;
    }
    // One word: runs to the next unquoted space. `eq` is where the first `=` lands in the dequoted
    // word, and `bare` says the word was written without quotes (so `"--"` stays an option).
    let word = "";
    let eq = -1;
    let inQuote = false;
    let bare = true;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 34 /* " */) {
        inQuote = !inQuote;
        bare = false;
      } else if (!inQuote && isSpace(c)) {
        break;
      } else {
        if (c === 61 /* = */ && eq < 0) eq = word.length;
        word += text[i];
      }
    }
    if (afterDashes) args.push(word);
    else if (bare && word === "--") afterDashes = true;
    else if (eq > 0) options[word.slice(0, eq)] = word.slice(eq + 1);
    else if (eq < 0 && word !== "") options[word] = true;
    // A word like `=x` has no key: Linux ignores it, and so do we.
  }
  return { args, options };
}

function isSpace(c: number): boolean {
  // The same set as C's isspace() in the kernel's parser: space, \t \n \v \f \r.
  return c === 32 || (c >= 9 && c <= 13);
}
