// Issue 5, image tests over QEMU user networking (slirp: an independent TCP/IP implementation) with host
// port forwarding, on microvm (KVM when usable). apps/hello-http and apps/echo take their address from
// slirp's DHCP server; the host is the client: curl, Node's http Agent with keep-alive (1000 sequential,
// 200 concurrent requests, every response checked), a Node net client pushing 20 MB through echo, and a
// tiny DNS server on the host loopback that the guest reaches as slirp's host address 10.0.2.2:53 (the
// sandbox has no outside network for slirp's own DNS proxy at 10.0.2.3). Host-side test code; every VM
// is stopped in afterAll (AbortController). Traffic stays on 127.0.0.1.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { Agent, request, type IncomingMessage } from "node:http";
import { connect, createServer, type AddressInfo, type Socket } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boot, link, repoRoot } from "./boot.js";

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A booted VM: its console so far, and how to stop it. */
interface Vm {
  output(): string;
  stop(): Promise<void>;
}

/** Boots `image` with one forwarded port and waits until the console matches `ready`. */
async function startVm(image: string, guestPort: number, hostPort: number, ready: RegExp, cmdline = ""): Promise<Vm> {
  const abort = new AbortController();
  let output = "";
  let up!: () => void;
  const started = new Promise<void>((r) => (up = r));
  const run = boot(image, {
    machine: "microvm",
    cmdline,
    ports: [{ host: hostPort, guest: guestPort, hostAddress: "127.0.0.1" }],
    timeoutMs: 170_000,
    signal: abort.signal,
    onOutput: (chunk) => {
      output += chunk;
      if (ready.test(output)) up();
    },
  }).then(
    (r) => console.log(`net-user: ${image.split("/").pop()} ran on ${r.accel}`),
    () => undefined,
  );
  const vm: Vm = {
    output: () => output,
    stop: async () => {
      abort.abort();
      await run;
    },
  };
  try {
    await Promise.race([started, run.then(() => Promise.reject(new Error(`the VM stopped before it was ready:\n${output}`)))]);
  } catch (e) {
    await vm.stop();
    throw e;
  }
  return vm;
}

function curl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("curl", ["--silent", "--show-error", "--max-time", "30", ...args], (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** One GET through `agent`; resolves with status, body and whether the agent reused a socket. */
function get(agent: Agent, port: number, path: string): Promise<{ status: number; body: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), socket: req.socket as Socket }));
      res.on("error", reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on("error", reject);
    req.end();
  });
}

/**
 * Opens `count` keep-alive sockets in `agent` one after another: each warm-up response is held unread
 * (so its socket stays busy and the next request needs a new one) until all are open. QEMU's host
 * forward listens with a backlog of 1 (`ss -ltn` shows Send-Q 1): many simultaneous connects overflow
 * the host kernel's accept queue and the dropped SYNs return only after Linux's SYN backoff (1, 3, 7 s...).
 */
async function warmUp(agent: Agent, port: number, count: number): Promise<void> {
  const held: IncomingMessage[] = [];
  for (let i = 0; i < count; i++) {
    held.push(
      await new Promise<IncomingMessage>((resolve, reject) => {
        const req = request({ host: "127.0.0.1", port, path: `/warm/${i}`, agent }, resolve);
        req.setTimeout(30_000, () => req.destroy(new Error(`warm-up ${i} timed out`)));
        req.on("error", reject);
        req.end();
      }),
    );
  }
  for (const [i, res] of held.entries()) {
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    expect(res.statusCode).toBe(200);
    expect(Buffer.concat(chunks).toString()).toBe(`hello from Toro: GET /warm/${i}\n`);
  }
}

// --- a tiny DNS server (RFC 1035 §4.1): A records from a table, NXDOMAIN for the rest -------------

const DNS_TABLE: Record<string, string> = { "toro.test": "10.1.2.3", "www.toro.test": "10.1.2.4" };

function dnsAnswer(query: Buffer): Buffer | undefined {
  if (query.length < 17) return undefined;
  const labels: string[] = [];
  let at = 12;
  while (at < query.length && query[at]! !== 0) {
    const n = query[at]!;
    labels.push(query.subarray(at + 1, at + 1 + n).toString("latin1"));
    at += 1 + n;
  }
  const questionEnd = at + 5; // zero label, QTYPE, QCLASS
  if (questionEnd > query.length) return undefined;
  const qtype = query.readUInt16BE(at + 1);
  const address = DNS_TABLE[labels.join(".").toLowerCase()];
  const found = address !== undefined && qtype === 1;
  const head = Buffer.alloc(12);
  head.writeUInt16BE(query.readUInt16BE(0), 0); // id
  head.writeUInt16BE(found || address !== undefined ? 0x8180 : 0x8183, 2); // QR RD RA, rcode 0 or NXDOMAIN
  head.writeUInt16BE(1, 4);
  head.writeUInt16BE(found ? 1 : 0, 6);
  const question = query.subarray(12, questionEnd);
  if (!found) return Buffer.concat([head, question]);
  const answer = Buffer.alloc(16);
  answer.writeUInt16BE(0xc00c, 0); // name: pointer to the question
  answer.writeUInt16BE(1, 2); // A
  answer.writeUInt16BE(1, 4); // IN
  answer.writeUInt32BE(60, 6); // TTL
  answer.writeUInt16BE(4, 10);
  address.split(".").forEach((b, i) => answer.writeUInt8(Number(b), 12 + i));
  return Buffer.concat([head, question, answer]);
}

/** Binds the DNS server on 127.0.0.1:53 (slirp maps the guest's 10.0.2.2 to the host loopback). */
async function startDns(queries: string[]): Promise<{ socket: UdpSocket } | { reason: string }> {
  const socket = createSocket("udp4");
  socket.on("message", (msg, from) => {
    queries.push(`${from.address} ${msg.length}`);
    const reply = dnsAnswer(msg);
    if (reply) socket.send(reply, from.port, from.address);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(53, "127.0.0.1", () => resolve());
    });
    return { socket };
  } catch (e) {
    socket.close();
    return { reason: `cannot bind 127.0.0.1:53 for the test DNS server: ${String(e)}` };
  }
}

// --- the tests ------------------------------------------------------------------------------------

let helloImage: string;
let echoImage: string;
beforeAll(async () => {
  [helloImage, echoImage] = await Promise.all([link(join(repoRoot, "apps/hello-http")), link(join(repoRoot, "apps/echo"))]);
}, 180_000);

describe("hello-http over QEMU user networking (microvm)", () => {
  const queries: string[] = [];
  let dns: UdpSocket | undefined;
  let dnsSkip: string | undefined;
  let vm: Vm | undefined;
  let port = 0;

  beforeAll(async () => {
    const d = await startDns(queries);
    if ("socket" in d) dns = d.socket;
    else dnsSkip = d.reason;
    console.log(dns ? "net-user: DNS via slirp's host address 10.0.2.2:53 -> a test server on 127.0.0.1:53" : `net-user: DNS skipped: ${dnsSkip}`);
    port = await freePort();
    const cmdline = dns ? "dns=10.0.2.2 lookup=toro.test" : "";
    vm = await startVm(helloImage, 80, port, /hello-http: listening on \S+\n/, cmdline);
  }, 120_000);
  afterAll(async () => {
    await vm?.stop();
    dns?.close();
  });

  it("takes its address from QEMU's DHCP server", () => {
    const out = vm!.output();
    expect(out).toContain("hello-http: asking DHCP for an address");
    expect(out).toMatch(/hello-http: leased 10\.0\.2\.15\/24 gateway 10\.0\.2\.2 dns 10\.0\.2\.3 for \d+ s/);
    expect(out).toContain("hello-http: listening on http://10.0.2.15:80/");
  });

  it("answers curl with 200 and the greeting", async () => {
    const r = await curl(["-i", `http://127.0.0.1:${port}/hi?x=1`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(r.stdout).toContain(`Content-Length: ${"hello from Toro: GET /hi?x=1\n".length}\r\n`);
    expect(r.stdout.endsWith("\r\n\r\nhello from Toro: GET /hi?x=1\n")).toBe(true);
  });

  it("answers 1000 sequential keep-alive requests, all on one connection", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<Socket>();
    try {
      for (let i = 0; i < 1000; i++) {
        const r = await get(agent, port, `/seq/${i}`);
        expect(r.status).toBe(200);
        expect(r.body).toBe(`hello from Toro: GET /seq/${i}\n`);
        sockets.add(r.socket);
      }
    } finally {
      agent.destroy();
    }
    expect(sockets.size).toBe(1);
  }, 120_000);

  it("answers 200 concurrent keep-alive requests over 16 sockets", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const sockets = new Set<Socket>();
    try {
      await warmUp(agent, port, 16);
      const all = await Promise.all(Array.from({ length: 200 }, (_, i) => get(agent, port, `/par/${i}`)));
      all.forEach((r, i) => {
        expect(r.status).toBe(200);
        expect(r.body).toBe(`hello from Toro: GET /par/${i}\n`);
        sockets.add(r.socket);
      });
    } finally {
      agent.destroy();
    }
    expect(sockets.size).toBe(16); // the warmed sockets, each reused: no new connection was needed
  }, 120_000);

  it("resolves a name through a DNS server the test runs on the host (slirp 10.0.2.2:53)", async (ctx) => {
    if (!dns) {
      console.warn(`net-user: DNS test skipped: ${dnsSkip}`);
      return ctx.skip();
    }
    const line = /hello-http: lookup toro\.test via 10\.0\.2\.2 (.*)/;
    for (let i = 0; i < 300 && !line.test(vm!.output()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(line.exec(vm!.output())?.[1]).toBe("-> 10.1.2.3");
    expect(queries.length).toBeGreaterThanOrEqual(1);
    expect(queries[0]).toMatch(/^127\.0\.0\.1 /); // slirp relayed it from the host loopback
  }, 60_000);
});

describe("echo over QEMU user networking (microvm)", () => {
  let vm: Vm | undefined;
  let port = 0;
  beforeAll(async () => {
    port = await freePort();
    vm = await startVm(echoImage, 7, port, /echo: listening on \S+\n/);
  }, 120_000);
  afterAll(async () => {
    await vm?.stop();
  });

  it("takes its address from QEMU's DHCP server", () => {
    expect(vm!.output()).toMatch(/echo: leased 10\.0\.2\.15\/24 for \d+ s/);
  });

  it("sends 20 MB back byte-exact to a Node net client", async () => {
    const size = 20 * 1024 * 1024;
    const data = new Uint8Array(size);
    let x = 0x9e3779b9;
    for (let i = 0; i < size; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      data[i] = x & 0xff;
    }
    const got = Buffer.alloc(size);
    let received = 0;
    await new Promise<void>((resolve, reject) => {
      const s = connect(port, "127.0.0.1", () => {
        // Write in 1 MiB pieces, honouring backpressure, while reading what comes back.
        let offset = 0;
        const pump = (): void => {
          while (offset < size) {
            const end = Math.min(size, offset + (1 << 20));
            const more = s.write(data.subarray(offset, end));
            offset = end;
            if (!more) return void s.once("drain", pump);
          }
        };
        pump();
      });
      s.setTimeout(30_000, () => s.destroy(new Error(`stalled after ${received} bytes back`)));
      s.on("data", (c: Buffer) => {
        if (received + c.length > size) return s.destroy(new Error(`more than ${size} bytes came back`));
        c.copy(got, received);
        received += c.length;
        if (received === size) s.end();
      });
      s.on("error", reject);
      s.on("close", () => (received === size ? resolve() : reject(new Error(`closed after ${received} of ${size} bytes`))));
    });
    expect(received).toBe(size);
    const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
    expect(sha(got)).toBe(sha(data));
    expect(Buffer.compare(got, Buffer.from(data.buffer))).toBe(0);
  }, 120_000);
});
