// Real clients: curl and Node's http client talk to the server on 127.0.0.1 through Node's `net`
// module and @toro/http's `fromServer` adapter. Every request is bounded; every server is closed.
import { request as httpRequest, Agent } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Response } from "./response.js";
import { createServer } from "./server.js";
import { curl, listenOnLoopback } from "./test-support/node-net.js";

let port = 0;
let close: () => Promise<void>;
let bigProduced = 0;

beforeAll(async () => {
  const server = createServer(async (req) => {
    if (req.path === "/echo") return new Response(await req.bytes(), { headers: { "Content-Type": "application/octet-stream" } });
    if (req.path === "/big") {
      const total = 20 * 1024 * 1024;
      bigProduced = 0;
      const chunks = async function* () {
        const piece = new Uint8Array(64 * 1024).fill(0x61);
        while (bigProduced < total) {
          bigProduced += piece.length;
          yield piece;
        }
      };
      return new Response(chunks(), req.query === "chunked" ? {} : { headers: { "Content-Length": String(total) } });
    }
    return new Response(`${req.method} ${req.url}\n`);
  });
  ({ port, close } = await listenOnLoopback(server));
});
afterAll(() => close());

describe("with curl", () => {
  it("GET, HEAD, and a chunked POST", async () => {
    const get = await curl(["-i", `http://127.0.0.1:${port}/hello?x=1`]);
    expect(get.code).toBe(0);
    expect(get.stdout.toString()).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nGET \/hello\?x=1\n$/);
    const head = await curl(["-I", `http://127.0.0.1:${port}/x`]);
    expect(head.stdout.toString()).toContain("Content-Length: 8");
    const post = await curl(["-v", "-H", "Transfer-Encoding: chunked", "--data-binary", "hello chunked world", `http://127.0.0.1:${port}/echo`]);
    expect(post.stderr).toContain("> Transfer-Encoding: chunked");
    expect(post.stdout.toString()).toBe("hello chunked world");
  });

  it("reuses one connection for several URLs (keep-alive) and streams 20 MiB both framed ways", async () => {
    const r = await curl(["-v", "-o", "/dev/null", "-o", "/dev/null", `http://127.0.0.1:${port}/a`, `http://127.0.0.1:${port}/b`]);
    expect(r.stderr).toMatch(/Re-using existing connection|Reusing existing/);
    for (const q of ["", "?chunked"]) {
      const big = await curl([`http://127.0.0.1:${port}/big${q}`]);
      expect(big.code).toBe(0);
      expect(big.stdout.length).toBe(20 * 1024 * 1024);
      expect(big.stdout.every((b) => b === 0x61)).toBe(true);
    }
  });

  it("sends 100 Continue for a large upload and echoes it back", async () => {
    const body = Buffer.alloc(300_000, 7);
    const r = await new Promise<Buffer>((resolve, reject) => {
      const req = httpRequest({ port, host: "127.0.0.1", method: "PUT", path: "/echo", headers: { Expect: "100-continue", "Content-Length": body.length } }, (res) => {
        const parts: Buffer[] = [];
        res.on("data", (c: Buffer) => parts.push(c));
        res.on("end", () => resolve(Buffer.concat(parts)));
      });
      req.on("continue", () => req.end(body));
      req.on("error", reject);
      req.setTimeout(10_000, () => req.destroy(new Error("timeout")));
    });
    expect(Buffer.compare(r, body)).toBe(0);
  });
});

describe("with Node's http client", () => {
  it("100 sequential keep-alive requests over one socket", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    try {
      for (let i = 0; i < 100; i++) {
        const text = await new Promise<string>((resolve, reject) => {
          const req = httpRequest({ port, host: "127.0.0.1", path: `/n/${i}`, agent }, (res) => {
            sockets.add(res.socket);
            let t = "";
            res.setEncoding("latin1");
            res.on("data", (c: string) => (t += c));
            res.on("end", () => resolve(t));
          });
          req.on("error", reject);
          req.setTimeout(10_000, () => req.destroy(new Error("timeout")));
          req.end();
        });
        expect(text).toBe(`GET /n/${i}\n`);
      }
      expect(sockets.size).toBe(1);
    } finally {
      agent.destroy();
    }
  });
});
