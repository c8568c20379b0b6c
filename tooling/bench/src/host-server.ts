// Bench baseline server (@toro/bench), run as its own Node process on the host by the http case
// (bundled by esbuild into .cache/host-server.mjs): Node.js serving what the Toro apps serve, on
// 127.0.0.1 only — `hello PORT` answers every request with 200 and a short text like apps/hello-http;
// `static PORT DIR` serves the files of DIR from the host's disk (stat + stream, as a plain
// node:http file server does); `echo PORT` is a TCP echo like apps/echo. Prints
// `host-server: listening on 127.0.0.1:PORT` when ready. Nothing imports this file.
import { createReadStream, statSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { join, normalize } from "node:path";

const [mode, portText, dir] = process.argv.slice(2);
const port = Number(portText);
const ready = (): void => console.log(`host-server: listening on 127.0.0.1:${port}`);

if (mode === "hello") {
  // Same body shape and length as hello-http's "hello from Toro: GET /\n".
  createHttpServer((req, res) => {
    const body = `hello from Node: ${req.method ?? "GET"} ${req.url ?? "/"}\n`;
    res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(body) });
    res.end(body);
  }).listen(port, "127.0.0.1", ready);
} else if (mode === "static" && dir !== undefined) {
  createHttpServer((req, res) => {
    const path = join(dir, normalize(decodeURIComponent((req.url ?? "/").split("?")[0]!)).replace(/^(\.\.[/\\])+/, ""));
    let size: number;
    try {
      const st = statSync(path);
      if (!st.isFile()) throw new Error("not a file");
      size = st.size;
    } catch {
      res.writeHead(404, { "content-length": 0 });
      res.end();
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": size });
    createReadStream(path).pipe(res);
  }).listen(port, "127.0.0.1", ready);
} else if (mode === "echo") {
  createTcpServer((socket) => {
    socket.setNoDelay(true);
    socket.pipe(socket);
    socket.on("error", () => socket.destroy());
  }).listen(port, "127.0.0.1", ready);
} else {
  console.error("usage: host-server hello PORT | static PORT DIR | echo PORT");
  process.exit(2);
}
