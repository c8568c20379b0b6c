// HTTP/1.1 connection behaviour over an in-memory stream pair, in virtual time (RFC 9112 §9
// persistence and pipelining, §6/§7 framing, RFC 9110 §15.5 limit statuses, §9.3.2 HEAD).
import { describe, expect, it } from "vitest";
import { defaultLimits, type HttpLimits } from "./limits.js";
import { Request } from "./request.js";
import { Response } from "./response.js";
import { createServer, type ServerOptions } from "./server.js";
import { ManualTimers, memoryPair, settle } from "./test-support/memory-stream.js";
import type { Handler } from "./connection.js";

const echo: Handler = async (req: Request) => new Response(`${req.method} ${req.url} ${(await req.bytes()).length}\n`);

function open(handler: Handler = echo, options: ServerOptions & { capacity?: number } = {}) {
  const timers = new ManualTimers();
  const server = createServer(handler, { timers, clock: () => 784111777000, ...options });
  const { server: stream, client } = memoryPair(options.capacity);
  const done = server.serve(stream);
  return { server, client, timers, done };
}

/** Splits a response stream into status lines (a cheap view for ordering checks). */
const statusLines = (text: string) => text.match(/HTTP\/1\.1 \d{3} [A-Za-z ]*/g) ?? [];

describe("keep-alive and pipelining (RFC 9112 §9.3)", () => {
  it("answers pipelined requests in order on one connection, with Date from the injected clock", async () => {
    const { client } = open(async (req) => {
      // Make the first request the slowest: order must still hold.
      if (req.path === "/slow") await settle(3);
      return new Response(`${req.path}\n`);
    });
    client.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\nHEAD /c HTTP/1.1\r\nHost: a\r\n\r\n");
    await settle();
    const text = client.text();
    expect(statusLines(text)).toEqual(["HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 200 OK"]);
    expect(text.indexOf("/slow\n")).toBeLessThan(text.indexOf("/b\n"));
    expect(text).toContain("Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n");
    // HEAD: the same Content-Length as GET would have, and no body.
    expect(text.endsWith("Content-Length: 3\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n")).toBe(true);
  });

  it("closes after a response to `Connection: close`, and for HTTP/1.0 unless keep-alive is asked", async () => {
    const a = open();
    a.client.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /never HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(await a.client.closed).toBe("end");
    expect(statusLines(a.client.text())).toHaveLength(1);
    expect(a.client.text()).toContain("Connection: close\r\n");

    const b = open();
    b.client.send("GET / HTTP/1.0\r\n\r\n");
    expect(await b.client.closed).toBe("end");
    const c = open();
    c.client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    await settle();
    expect(statusLines(c.client.text())).toHaveLength(2);
    expect(c.client.text()).toContain("Connection: keep-alive\r\n");
  });

  it("serves requests that arrive one byte at a time", async () => {
    const { client } = open();
    for (const ch of "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello") {
      client.send(ch);
      await settle(1);
    }
    await settle();
    expect(client.text()).toContain("POST /x 5\n");
  });

  it("closes an idle keep-alive connection when the idle timer fires, silently", async () => {
    const { client, timers } = open(echo, { idleTimeoutMs: 1234 });
    client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    await settle();
    expect(timers.delays()).toEqual([1234]);
    timers.fireAll();
    expect(await client.closed).toBe("end");
    expect(statusLines(client.text())).toHaveLength(1);
  });

  it("answers 408 when a started request stalls past the request timeout", async () => {
    const { client, timers } = open(echo, { requestTimeoutMs: 999 });
    client.send("GET / HTTP/1.1\r\nHo");
    await settle();
    expect(timers.delays()).toEqual([999]);
    timers.fireAll();
    expect(await client.closed).toBe("end");
    expect(client.text()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  });
});

describe("request bodies (RFC 9112 §6, §7.1)", () => {
  it("reads Content-Length and chunked bodies (with extensions and trailers), then the next request", async () => {
    const { client } = open();
    client.send("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc");
    client.send("POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nExpires: never\r\n\r\n");
    client.send("GET /c HTTP/1.1\r\nHost: a\r\n\r\n");
    await settle();
    const text = client.text();
    expect(text).toContain("POST /a 3\n");
    expect(text).toContain("POST /b 23\n");
    expect(text).toContain("GET /c 0\n");
  });

  it("skips a body the handler did not read, keeping the connection in sync", async () => {
    const { client } = open(() => new Response("ignored\n"));
    client.send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nGET\r\n0\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n");
    await settle();
    expect(statusLines(client.text())).toEqual(["HTTP/1.1 200 OK", "HTTP/1.1 200 OK"]);
  });

  it("sends 100 Continue only when the handler reads the body", async () => {
    const { client } = open();
    client.send("PUT /f HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
    await settle();
    expect(client.text()).toBe("HTTP/1.1 100 Continue\r\n\r\n");
    client.send("ok");
    await settle();
    expect(client.text()).toContain("PUT /f 2\n");
  });

  it("answers 413 for a chunked body over the limit and closes", async () => {
    const { client } = open(echo, { limits: { maxBodyBytes: 10 } });
    client.send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n");
    expect(await client.closed).toBe("end");
    expect(client.text()).toMatch(/^HTTP\/1\.1 413 Content Too Large\r\n/);
  });
});

describe("limits and malformed requests (RFC 9110 §15.5)", () => {
  const limits: HttpLimits = { ...defaultLimits, maxRequestLineBytes: 64, maxHeaderBytes: 256, maxHeaderCount: 4, maxBodyBytes: 100 };
  const cases: Array<[string, string, number]> = [
    ["a long request line", `GET /${"a".repeat(100)} HTTP/1.1\r\nHost: a\r\n\r\n`, 414],
    ["a huge header section", `GET / HTTP/1.1\r\nHost: a\r\nX: ${"b".repeat(300)}\r\n\r\n`, 431],
    ["too many fields", `GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\n\r\n`, 431],
    ["a large Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n\r\n", 413],
    ["a missing Host", "GET / HTTP/1.1\r\n\r\n", 400],
    ["garbage", "\x00\x01\x02 hello\r\n\r\n", 400],
    ["CL with TE", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400],
    ["conflicting lengths", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 400],
    ["an unknown coding", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501],
    ["HTTP/2.0", "GET / HTTP/2.0\r\n\r\n", 505],
    ["a bad chunk size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400],
    ["obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n 2\r\n\r\n", 400],
  ];
  it.each(cases)("answers %s with its status and closes", async (_, input, status) => {
    const { client } = open(echo, { limits });
    client.send(input);
    expect(await client.closed).toBe("end");
    expect(client.text().split("\r\n")[0]).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(client.text()).toContain("Connection: close\r\n");
  });
});

describe("responses", () => {
  it("streams a body of unknown length chunked, and a declared length as is", async () => {
    async function* parts() {
      yield new Uint8Array([104, 105]);
      yield new Uint8Array(0);
      yield new Uint8Array([33]);
    }
    const a = open(() => new Response(parts()));
    a.client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    await settle();
    expect(a.client.text()).toContain("Transfer-Encoding: chunked\r\n");
    expect(a.client.text().endsWith("\r\n\r\n2\r\nhi\r\n1\r\n!\r\n0\r\n\r\n")).toBe(true);

    const b = open(() => new Response(parts(), { headers: { "Content-Length": "3" } }));
    b.client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    await settle();
    expect(b.client.text().endsWith("Content-Length: 3\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\nhi!")).toBe(true);

    // HTTP/1.0 clients cannot read chunked: the body ends with the connection.
    const c = open(() => new Response(parts()));
    c.client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    expect(await c.client.closed).toBe("end");
    expect(c.client.text().endsWith("Connection: close\r\n\r\nhi!")).toBe(true);
  });

  it("destroys the connection when a streamed body fails or breaks its declared length", async () => {
    async function* failing() {
      yield new Uint8Array([1]);
      throw new Error("disk on fire");
    }
    const a = open(() => new Response(failing()));
    a.client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(await a.client.closed).toBe("destroy");
    const b = open(() => new Response(failing(), { headers: { "content-length": "10" } }));
    b.client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(await b.client.closed).toBe("destroy");
  });

  it("pulls a large streamed body only as fast as the client reads (backpressure)", async () => {
    let produced = 0;
    async function* big() {
      for (let i = 0; i < 1600; i++) {
        produced += 65536;
        yield new Uint8Array(65536); // 100 MiB in all
      }
    }
    const { client } = open(() => new Response(big()), { capacity: 256 * 1024 });
    client.reading = false;
    client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    await settle();
    // Blocked after ~capacity bytes: the generator is paused, nothing more is produced.
    expect(produced).toBeLessThanOrEqual(512 * 1024);
    const before = produced;
    await settle();
    expect(produced).toBe(before);
    client.read();
    await settle();
    expect(produced).toBeGreaterThan(before);
  });

  it("answers 500 when the handler throws, and keeps serving", async () => {
    const errors: unknown[] = [];
    const { client } = open(
      (req) => {
        if (req.path === "/boom") throw new Error("boom");
        return new Response("fine\n");
      },
      { onError: (e) => errors.push(e) },
    );
    client.send("GET /boom HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
    await settle();
    expect(statusLines(client.text())).toEqual(["HTTP/1.1 500 Internal Server Error", "HTTP/1.1 200 OK"]);
    expect(errors).toHaveLength(1);
  });

  it("omits bodies for 204 and 304, and Content-Length for 204", async () => {
    const { client } = open((req) => new Response("x", { status: req.path === "/a" ? 204 : 304 }));
    client.send("GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n");
    await settle();
    const [first, second] = client.text().split("HTTP/1.1 304");
    expect(first).not.toContain("Content-Length");
    expect(first!.endsWith("\r\n\r\n")).toBe(true);
    expect(second!.endsWith("\r\n\r\n")).toBe(true);
  });
});

describe("graceful close", () => {
  it("closes idle connections at once and lets a request in progress finish with Connection: close", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const timers = new ManualTimers();
    const server = createServer(
      async (req) => {
        if (req.path === "/slow") await gate;
        return new Response("done\n");
      },
      { timers, clock: null },
    );
    const idle = memoryPair();
    const busy = memoryPair();
    void server.serve(idle.server);
    void server.serve(busy.server);
    busy.client.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
    await settle();
    const closed = server.close();
    expect(await idle.client.closed).toBe("end");
    await settle();
    expect(server.connectionCount).toBe(1);
    release();
    await closed;
    expect(busy.client.text()).toContain("Connection: close\r\n");
    expect(busy.client.text()).not.toContain("Date:");
    expect(server.connectionCount).toBe(0);
  });
});
