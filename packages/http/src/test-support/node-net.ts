// Test support (Node only, never shipped): serves an HttpServer on 127.0.0.1 through Node's `net`
// module with @toro/http's own `fromServer` adapter (the same one @toro/net's sockets use), so real
// clients (curl, Node's http) talk to it. Always close what you open.
import { execFile } from "node:child_process";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import type { HttpServer } from "../server.js";
import { fromServer } from "../transport.js";

/** A server listening on 127.0.0.1 with an ephemeral port. */
export async function listenOnLoopback(http: HttpServer): Promise<{ port: number; close: () => Promise<void> }> {
  // allowHalfOpen: a client that shuts down its sending side still gets its responses.
  const net = createNetServer({ allowHalfOpen: true });
  http.listen(fromServer(net));
  await new Promise<void>((resolve) => net.listen(0, "127.0.0.1", resolve));
  const port = (net.address() as AddressInfo).port;
  return {
    port,
    close: async () => {
      const closed = new Promise<void>((r) => net.close(() => r()));
      http.closeAllConnections();
      await http.close();
      await closed;
    },
  };
}

/** Runs curl with a hard time bound; resolves with its stdout (binary) and stderr. */
export function curl(args: string[]): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve) => {
    execFile("curl", ["--silent", "--show-error", "--max-time", "10", ...args], { encoding: "buffer", maxBuffer: 256 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr: stderr.toString() });
    });
  });
}
