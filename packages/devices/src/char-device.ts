// Device-interface layer (@toro/devices): a byte stream device (a console port). Depends on nothing.

/**
 * A character device: an ordered byte stream in each direction.
 *
 * @example
 * ```ts
 * await port.write(new TextEncoder().encode("hello\n"));
 * port.onData((bytes) => console.log(bytes.length));
 * ```
 */
export interface CharDevice {
  /** Writes bytes; resolves when the device accepted them all (backpressure). */
  write(data: Uint8Array): Promise<void>;
  /** Sets the receiver of incoming bytes. */
  onData(handler: (data: Uint8Array) => void): void;
  /** Stops the device. */
  close(): Promise<void>;
}
