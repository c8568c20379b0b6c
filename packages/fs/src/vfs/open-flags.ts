// VFS flag layer (@toro/fs/vfs): Node's string open flags ("r", "r+", "w", "wx", "a", "a+", ...) as
// the booleans a filesystem and a handle need. Pure; imports only the error helpers.
import { fsError } from "../errors.js";

/** Node-style open flags understood by `open`, `readFile`, `writeFile` and `appendFile`. */
export type OpenFlag = "r" | "r+" | "rs+" | "w" | "wx" | "w+" | "wx+" | "a" | "ax" | "a+" | "ax+";

/** What a flag means. */
export interface ParsedFlags {
  /** Reads allowed. */
  readonly read: boolean;
  /** Writes allowed. */
  readonly write: boolean;
  /** Every write goes to the end. */
  readonly append: boolean;
  /** Create a missing file. */
  readonly create: boolean;
  /** With `create`: fail if it exists. */
  readonly exclusive: boolean;
  /** Cut to 0 bytes on open. */
  readonly truncate: boolean;
}

const TABLE: Record<OpenFlag, ParsedFlags> = {
  r: { read: true, write: false, append: false, create: false, exclusive: false, truncate: false },
  "r+": { read: true, write: true, append: false, create: false, exclusive: false, truncate: false },
  "rs+": { read: true, write: true, append: false, create: false, exclusive: false, truncate: false },
  w: { read: false, write: true, append: false, create: true, exclusive: false, truncate: true },
  wx: { read: false, write: true, append: false, create: true, exclusive: true, truncate: true },
  "w+": { read: true, write: true, append: false, create: true, exclusive: false, truncate: true },
  "wx+": { read: true, write: true, append: false, create: true, exclusive: true, truncate: true },
  a: { read: false, write: true, append: true, create: true, exclusive: false, truncate: false },
  ax: { read: false, write: true, append: true, create: true, exclusive: true, truncate: false },
  "a+": { read: true, write: true, append: true, create: true, exclusive: false, truncate: false },
  "ax+": { read: true, write: true, append: true, create: true, exclusive: true, truncate: false },
};

/** Parses a flag string (Node's aliases "xw", "xa", "w+x", ... are accepted too); throws EINVAL otherwise. */
export function parseOpenFlags(flag: string): ParsedFlags {
  const canonical = flag.replace(/^x([wa])/, "$1x").replace(/^([wa])\+x$/, "$1x+") as OpenFlag;
  const parsed = TABLE[canonical];
  if (!Object.prototype.hasOwnProperty.call(TABLE, canonical) || !parsed) throw fsError("EINVAL", `unknown open flag ${JSON.stringify(flag)}`);
  return parsed;
}
