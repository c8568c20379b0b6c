// Tests of the transport adapters: fromSocket turns Nagle's algorithm off, as Node's http.Server does.
import { describe, expect, it } from "vitest";
import { fromSocket, type SocketLike } from "./transport.js";

describe("fromSocket", () => {
  it("turns Nagle's algorithm off so a small body does not wait for a delayed ACK", () => {
    const calls: unknown[] = [];
    const socket: SocketLike = {
      on: () => undefined,
      write: () => true,
      end: () => undefined,
      destroy: () => undefined,
      setNoDelay: (noDelay?: boolean) => calls.push(noDelay),
    };
    fromSocket(socket);
    expect(calls).toEqual([true]);
  });

  it("accepts sockets without setNoDelay", () => {
    const socket: SocketLike = { on: () => undefined, write: () => true, end: () => undefined, destroy: () => undefined };
    expect(() => fromSocket(socket)).not.toThrow();
  });
});
