// Device-interface layer (@toro/devices): what a network stack needs from a NIC. Depends on nothing;
// no virtio type may appear here, so @toro/net never learns which driver it runs on.

/** What the NIC does for the stack. */
export interface NetDeviceCapabilities {
  /** Largest Ethernet payload (IP packet) the device carries, usually 1500. */
  readonly mtu: number;
  /** The device verifies TCP/UDP checksums of received frames (the stack may skip them). */
  readonly rxChecksumOffload: boolean;
  /** The device fills TCP/UDP checksums of sent frames when asked (see {@link NetFrameOptions}). */
  readonly txChecksumOffload: boolean;
}

/** Per-frame transmit options. */
export interface NetFrameOptions {
  /** Ask the device to compute the transport checksum: start offset and where to store it. */
  readonly checksum?: {
    /** Offset in the frame where checksumming starts (the transport header). */
    readonly start: number;
    /** Offset of the checksum field, counted from `start`. */
    readonly offset: number;
  };
}

/**
 * A network interface card at the Ethernet layer. Frames are whole Ethernet II frames without the FCS.
 *
 * @example
 * ```ts
 * nic.onReceive((frame) => stack.input(frame));
 * await nic.send(frame); // resolves when the device accepted it (backpressure)
 * ```
 */
export interface NetDevice {
  /** The 6-byte MAC address. */
  readonly mac: Uint8Array;
  /** Capabilities negotiated with the device. */
  readonly capabilities: NetDeviceCapabilities;
  /** `true` while the link is up. */
  linkUp(): boolean;
  /** Queues a frame; resolves once the device has room for it (not when it is on the wire). */
  send(frame: Uint8Array, options?: NetFrameOptions): Promise<void>;
  /** Sets the receiver called with each received frame (the frame's memory is the callee's to keep). */
  onReceive(handler: (frame: Uint8Array) => void): void;
  /** Stops the device and releases its memory. */
  close(): Promise<void>;
}
