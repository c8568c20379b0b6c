// Whole-connection fuzzing (fast-check): arbitrary bytes, split arbitrarily, then the client's end —
// the server answers, closes or destroys; it never throws and never hangs (virtual time, no timers fire).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Response } from "./response.js";
import { createServer } from "./server.js";
import { ManualTimers, memoryPair, settle } from "./test-support/memory-stream.js";

const fragments = [
  "GET / HTTP/1.1\r\n", "POST /p HTTP/1.1\r\n", "HEAD / HTTP/1.0\r\n", "Host: a\r\n", "Content-Length: 3\r\n", "Content-Length: x\r\n",
  "Transfer-Encoding: chunked\r\n", "Connection: close\r\n", "Expect: 100-continue\r\n", "\r\n", "abc", "3\r\nabc\r\n", "0\r\n\r\n", "ffffffff\r\n", " folded\r\n", "\n", "\r",
];

describe("the connection under fuzzed input", () => {
  it("always terminates with a well-formed status line or a clean close", async () => {
    const input = fc.array(fc.oneof(fc.constantFrom(...fragments).map((s) => Uint8Array.from(s, (c) => c.charCodeAt(0))), fc.uint8Array({ maxLength: 20 })), { maxLength: 25 });
    await fc.assert(
      fc.asyncProperty(input, async (pieces) => {
        const server = createServer(async (req) => new Response(`${(await req.bytes()).length}`), {
          timers: new ManualTimers(),
          clock: null,
          limits: { maxRequestLineBytes: 100, maxHeaderBytes: 200, maxBodyBytes: 50 },
          onError: () => {},
        });
        const { server: stream, client } = memoryPair();
        const served = server.serve(stream);
        for (const p of pieces) client.send(p);
        client.end();
        await settle(5);
        const how = await Promise.race([client.closed, settle(30).then(() => "hung")]);
        expect(how).not.toBe("hung");
        await served;
        const text = client.text();
        for (const line of text.match(/HTTP\/1\.1 \d{3}/g) ?? []) expect(Number(line.slice(9))).toBeGreaterThanOrEqual(100);
        if (text.length > 0) expect(text.startsWith("HTTP/1.1 ")).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
