// VFS handle layer (@toro/fs/vfs): `FileHandle`, shaped like Node's `fs/promises` FileHandle, over a
// filesystem's positional `OpenFile`: it keeps the file position, enforces the open mode (EBADF for
// reads on write-only handles and the reverse), and makes append-mode writes land at the end.
// Imports VFS values, the contract types and the kernel's UTF-8 encoder; never a filesystem
// implementation.
import { encodeUtf8 } from "@toro/kernel";
import { fsError } from "../errors.js";
import type { ParsedFlags } from "./open-flags.js";
import { Stats } from "./stats.js";
import type { OpenFile } from "./types.js";
import { utf8Decode } from "./utf8.js";

/** Result of {@link FileHandle.read}. */
export interface ReadResult {
  /** Bytes read (0 at end of file). */
  readonly bytesRead: number;
  /** The buffer passed in. */
  readonly buffer: Uint8Array;
}

/** Result of {@link FileHandle.write}. */
export interface WriteResult {
  /** Bytes written. */
  readonly bytesWritten: number;
  /** The data written. */
  readonly buffer: Uint8Array;
}

/**
 * An open file, like Node's `FileHandle`: sequential I/O from the handle's own position, or
 * positional I/O that leaves the position alone.
 *
 * @example
 * ```ts
 * const fh = await vfs.open("/log.txt", "a+");
 * await fh.write("one line\n");
 * const { bytesRead } = await fh.read(new Uint8Array(64), 0, 64, 0);
 * await fh.close();
 * ```
 */
export class FileHandle {
  /** A small number naming this handle (like a file descriptor). */
  readonly fd: number;
  private position = 0;
  private file: OpenFile | undefined;
  private readonly flags: ParsedFlags;
  private readonly onClose: () => void;

  /**
   * Wraps an open file (the VFS calls this; apps use `vfs.open`).
   *
   * @param fd - the handle's number
   * @param file - the filesystem's open file
   * @param flags - the parsed open flags
   * @param onClose - called once when the handle closes
   * @returns the handle
   * @example
   * ```ts
   * const fh = await vfs.open("/a.txt", "r");
   * ```
   */
  constructor(fd: number, file: OpenFile, flags: ParsedFlags, onClose: () => void) {
    this.fd = fd;
    this.file = file;
    this.flags = flags;
    this.onClose = onClose;
  }

  /**
   * Reads into `buffer[offset, offset + length)` from `position` (or the handle's position, which
   * then advances).
   *
   * @param buffer - destination
   * @param offset - where in `buffer` to start (default 0)
   * @param length - most bytes to read (default: the rest of `buffer`)
   * @param position - file offset, or `null`/omitted for the current position
   * @returns how many bytes were read and the buffer
   * @example
   * ```ts
   * const { bytesRead } = await fh.read(new Uint8Array(4096));
   * ```
   */
  async read(buffer: Uint8Array, offset = 0, length = buffer.length - offset, position: number | null = null): Promise<ReadResult> {
    const file = this.open();
    if (!this.flags.read) throw fsError("EBADF", "handle is not open for reading");
    if (offset < 0 || length < 0 || offset + length > buffer.length) throw fsError("EINVAL", "offset/length outside the buffer");
    const at = position ?? this.position;
    if (!Number.isInteger(at) || at < 0) throw fsError("EINVAL", `invalid position ${at}`);
    const bytesRead = await file.read(at, buffer.subarray(offset, offset + length));
    if (position === null) this.position = at + bytesRead;
    return { bytesRead, buffer };
  }

  /**
   * Writes bytes or a UTF-8 string at `position` (or the handle's position, which then advances; in
   * append mode always at the end).
   *
   * @param data - bytes or text
   * @param offset - start within `data` when it is bytes (default 0)
   * @param length - bytes to write (default: the rest)
   * @param position - file offset, or `null`/omitted for the current position
   * @returns how many bytes were written and the data
   * @example
   * ```ts
   * await fh.write("hello\n");
   * await fh.write(new Uint8Array([1, 2, 3]), 0, 3, 100);
   * ```
   */
  async write(data: Uint8Array | string, offset = 0, length?: number, position: number | null = null): Promise<WriteResult> {
    const file = this.open();
    if (!this.flags.write) throw fsError("EBADF", "handle is not open for writing");
    const bytes = typeof data === "string" ? encodeUtf8(data) : data;
    const n = length ?? bytes.length - offset;
    if (offset < 0 || n < 0 || offset + n > bytes.length) throw fsError("EINVAL", "offset/length outside the data");
    // POSIX O_APPEND: every write goes to the current end, whatever the position says.
    const at = this.flags.append ? file.size() : (position ?? this.position);
    if (!Number.isInteger(at) || at < 0) throw fsError("EINVAL", `invalid position ${at}`);
    const bytesWritten = await file.write(at, bytes.subarray(offset, offset + n));
    if (position === null || this.flags.append) this.position = at + bytesWritten;
    return { bytesWritten, buffer: bytes };
  }

  /**
   * Reads the rest of the file from the current position, as bytes.
   *
   * @returns the bytes
   * @example
   * ```ts
   * const bytes = await fh.readFile();
   * ```
   */
  async readFile(): Promise<Uint8Array>;
  /**
   * Reads the rest of the file from the current position, as UTF-8 text.
   *
   * @param encoding - `"utf8"`
   * @returns the text
   * @example
   * ```ts
   * const text = await fh.readFile("utf8");
   * ```
   */
  async readFile(encoding: "utf8"): Promise<string>;
  async readFile(encoding?: "utf8"): Promise<Uint8Array | string> {
    const file = this.open();
    const out = new Uint8Array(Math.max(0, file.size() - this.position));
    let done = 0;
    while (done < out.length) {
      const { bytesRead } = await this.read(out, done, out.length - done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    const bytes = out.subarray(0, done);
    return encoding === "utf8" ? utf8Decode(bytes) : bytes;
  }

  /**
   * Writes all of `data` from the current position (at the end in append mode).
   *
   * @param data - bytes or text
   * @returns a promise that settles when written
   * @example
   * ```ts
   * await fh.writeFile("all of it");
   * ```
   */
  async writeFile(data: Uint8Array | string): Promise<void> {
    await this.write(data);
  }

  /**
   * Sets the file's size (cutting, or extending with zeros).
   *
   * @param length - new size in bytes (default 0)
   * @returns a promise that settles when done
   * @example
   * ```ts
   * await fh.truncate(10);
   * ```
   */
  async truncate(length = 0): Promise<void> {
    const file = this.open();
    if (!this.flags.write) throw fsError("EBADF", "handle is not open for writing");
    await file.truncate(length);
  }

  /**
   * Metadata of the open file.
   *
   * @returns the stats
   * @example
   * ```ts
   * const { size } = await fh.stat();
   * ```
   */
  async stat(): Promise<Stats> {
    return new Stats(await this.open().stat());
  }

  /**
   * Makes the file's data and metadata durable (the device's flush included).
   *
   * @returns a promise that settles when durable
   * @example
   * ```ts
   * await fh.sync();
   * ```
   */
  async sync(): Promise<void> {
    await this.open().sync();
  }

  /**
   * Same as {@link FileHandle.sync} (FAT has no data-only sync).
   *
   * @returns a promise that settles when durable
   * @example
   * ```ts
   * await fh.datasync();
   * ```
   */
  async datasync(): Promise<void> {
    await this.sync();
  }

  /**
   * Closes the handle; later calls reject with EBADF. Closing twice is a no-op, as in Node.
   *
   * @returns a promise that settles when closed
   * @example
   * ```ts
   * await fh.close();
   * ```
   */
  async close(): Promise<void> {
    const file = this.file;
    if (!file) return;
    this.file = undefined;
    this.onClose();
    await file.close();
  }

  private open(): OpenFile {
    if (!this.file) throw fsError("EBADF", "file handle is closed");
    return this.file;
  }
}
