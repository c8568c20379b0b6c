// Bench client (@toro/bench), run as its own Node process by the http case — inside the tap path's
// network namespace (`ip netns exec`), where the bench's own process cannot go — and bundled by
// esbuild into .cache/net-client.mjs: `get URL` fetches URL once and reports status and body bytes
// (the correctness check before wrk); `echo HOST PORT BYTES TIMEOUT_MS` moves BYTES through a TCP echo
// server with net-load's checked client. Prints one `net-client: …` line (tap-net.ts parses it) and
// exits 0, or `net-client: error …` and exits 1. Nothing imports this file.
import { echoBulk } from "./net-load.js";

async function main(argv: string[]): Promise<string> {
  const [mode, ...rest] = argv;
  if (mode === "get" && rest.length === 1) {
    const response = await fetch(rest[0]!);
    const bytes = (await response.arrayBuffer()).byteLength;
    return `get status=${response.status} bytes=${bytes}`;
  }
  if (mode === "echo" && rest.length === 4) {
    const [host, port, bytes, timeoutMs] = rest.map((x, i) => (i === 0 ? x : Number(x))) as [string, number, number, number];
    const r = await echoBulk(port, bytes, timeoutMs, host);
    return `echo mb_s=${r.mbPerSecond} seconds=${r.seconds}`;
  }
  throw new Error("usage: net-client get URL | echo HOST PORT BYTES TIMEOUT_MS");
}

main(process.argv.slice(2)).then(
  (line) => {
    console.log(`net-client: ${line}`);
    process.exit(0);
  },
  (error: unknown) => {
    console.log(`net-client: error ${(error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ")}`);
    process.exit(1);
  },
);
