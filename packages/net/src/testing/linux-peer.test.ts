// Real peer: Linux's own TCP/IP stack, in a network namespace, talks to ours over a veth pair. Our
// end of the veth has no Linux address; a tiny python AF_PACKET bridge passes its frames to a
// NetDevice here. Needs root, `ip`, `ethtool` and python3; skipped (with the reason) otherwise.
// This is the one test on a real clock: Linux does not run in virtual time.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NetDevice } from "@toro/devices";
import { createStack, type NetStack } from "../socket/stack.js";

const tag = `t${process.pid % 100000}`;
const ns = `toro-${tag}`;
const ours = `tv${tag}a`;
const theirs = `tv${tag}b`;

function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function cleanup(): void {
  for (const args of [["link", "del", ours], ["netns", "del", ns]]) {
    try {
      sh("ip", args);
    } catch {
      /* already gone */
    }
  }
}

/** Builds the namespace and the veth pair; returns why not when the machine does not allow it. */
function setUp(): string | undefined {
  if (process.getuid?.() !== 0) return "not root";
  for (const tool of ["ip", "ethtool", "python3"]) {
    try {
      sh("which", [tool]);
    } catch {
      return `${tool} missing`;
    }
  }
  try {
    sh("ip", ["netns", "add", ns]);
    sh("ip", ["link", "add", ours, "type", "veth", "peer", "name", theirs]);
    sh("ip", ["link", "set", theirs, "netns", ns]);
    sh("ip", ["link", "set", ours, "up"]);
    sh("ethtool", ["-K", ours, "tx", "off", "rx", "off"]);
    for (const args of [["addr", "add", "10.9.77.1/24", "dev", theirs], ["link", "set", theirs, "up"], ["link", "set", "lo", "up"]]) {
      sh("ip", ["netns", "exec", ns, "ip", ...args]);
    }
    // Real checksums on the wire: Linux must not hand us CHECKSUM_PARTIAL frames.
    sh("ip", ["netns", "exec", ns, "ethtool", "-K", theirs, "tx", "off"]);
    process.once("exit", cleanup); // also when a test filter skips this suite's hooks
  } catch (e) {
    cleanup();
    return `cannot build a namespace with a veth pair: ${String(e).split("\n")[0]}`;
  }
  return undefined;
}

const BRIDGE = `
import socket, sys, threading, binascii
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(3)); s.bind((sys.argv[1], 0))
def rx():
    while True:
        f, a = s.recvfrom(65535)
        if a[2] == socket.PACKET_OUTGOING: continue
        sys.stdout.write(binascii.hexlify(f).decode() + "\\n"); sys.stdout.flush()
threading.Thread(target=rx, daemon=True).start()
for line in sys.stdin:
    s.send(binascii.unhexlify(line.strip()))
`;

const CLIENT = `
import socket, hashlib, os, struct, sys
host = sys.argv[1]
# ICMP echo through a raw socket
r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP); r.settimeout(5)
def csum(b):
    x = sum(struct.unpack('!%dH' % (len(b)//2), b)); x = (x >> 16) + (x & 0xffff); x += x >> 16; return (~x) & 0xffff
p = struct.pack('!BBHHH', 8, 0, 0, 7, 1) + b'toro-ping'; p += b'\\0' * (len(p) % 2)
p = p[:2] + struct.pack('!H', csum(p)) + p[4:]
r.sendto(p, (host, 0)); reply = r.recv(100)
print("ping", reply[20] == 0)
data = os.urandom(1 << 20)
c = socket.create_connection((host, 7), timeout=20)
c.sendall(data); c.shutdown(socket.SHUT_WR)
got = bytearray()
while True:
    b = c.recv(65536)
    if not b: break
    got += b
print("echo", len(got), hashlib.sha256(got).hexdigest() == hashlib.sha256(data).hexdigest())
`;

const SERVER = `
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("10.9.77.1", 8080)); s.listen()
print("ready", flush=True)
c, _ = s.accept(); data = b""
while True:
    b = c.recv(4096)
    if not b: break
    data += b
c.sendall(data.upper()); c.close()
`;

let reason: string | undefined = "not set up";
let bridge: ChildProcess | undefined;
let stack: NetStack | undefined;

// Set up in beforeAll (never at import), so a filtered run creates nothing it would not clean up.
describe("Linux as the peer (root, network namespace, veth)", () => {
  beforeAll(() => {
    reason = setUp();
    if (reason) {
      console.warn(`Linux peer tests skipped: ${reason}`);
      return;
    }
    const b = spawn("python3", ["-c", BRIDGE, ours], { stdio: ["pipe", "pipe", "inherit"] });
    bridge = b;
    let handler: ((f: Uint8Array) => void) | undefined;
    let buffered = "";
    b.stdout!.setEncoding("utf8");
    b.stdout!.on("data", (text: string) => {
      buffered += text;
      let nl;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        handler?.(new Uint8Array(Buffer.from(line, "hex")));
      }
    });
    const nic: NetDevice = {
      mac: new Uint8Array([0x02, 0x70, 0x72, 0x6f, 0x00, 0x02]),
      capabilities: { mtu: 1500, rxChecksumOffload: false, txChecksumOffload: false },
      linkUp: () => true,
      send: (frame) =>
        new Promise((resolve) => {
          if (b.stdin!.write(Buffer.from(frame).toString("hex") + "\n")) resolve();
          else b.stdin!.once("drain", () => resolve());
        }),
      onReceive: (h) => {
        handler = h;
      },
      close: async () => undefined,
    };
    stack = createStack(nic, { address: "10.9.77.2" });
    stack.createServer((s) => s.on("data", (d: Uint8Array) => s.write(d))).listen(7);
  });

  afterAll(() => {
    stack?.close();
    bridge?.kill();
    if (!reason) cleanup();
  });

  const client = () =>
    new Promise<string>((resolve, reject) => {
      const c = spawn("ip", ["netns", "exec", ns, "python3", "-c", CLIENT, "10.9.77.2"], { stdio: ["ignore", "pipe", "pipe"] });
      let text = "";
      c.stdout.on("data", (d: Buffer) => (text += d.toString()));
      c.stderr.on("data", (d: Buffer) => (text += d.toString()));
      c.on("exit", (code) => (code === 0 ? resolve(text) : reject(new Error(`client exited ${code}: ${text}`))));
    });

  it("Linux pings us and echoes 1 MiB through our TCP byte-exact", async (ctx) => {
    if (reason) return ctx.skip();
    const out = await client();
    expect(out).toContain("ping True");
    expect(out).toContain(`echo ${1 << 20} True`);
  }, 30_000);

  it("still byte-exact with tc netem adding 2% loss, reordering and delay on Linux's side", async (ctx) => {
    if (reason) return ctx.skip();
    try {
      sh("ip", ["netns", "exec", ns, "tc", "qdisc", "add", "dev", theirs, "root", "netem", "delay", "2ms", "loss", "2%", "reorder", "10%", "50%"]);
    } catch (e) {
      console.warn(`netem unavailable (no sch_netem in this kernel?), skipped: ${String(e).split("\n")[0]}`);
      return ctx.skip();
    }
    try {
      const out = await client();
      expect(out).toContain(`echo ${1 << 20} True`);
    } finally {
      sh("ip", ["netns", "exec", ns, "tc", "qdisc", "del", "dev", theirs, "root"]);
    }
  }, 60_000);

  it("our client connects to a Linux server (active open) and reads its reply", async (ctx) => {
    if (reason) return ctx.skip();
    const server = spawn("ip", ["netns", "exec", ns, "python3", "-c", SERVER], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((r) => server.stdout.once("data", () => r()));
    const s = stack!.connect(8080, "10.9.77.1", () => s.end("hello linux"));
    const chunks: Uint8Array[] = [];
    for await (const c of s) chunks.push(c);
    server.kill();
    expect(Buffer.concat(chunks).toString()).toBe("HELLO LINUX");
  }, 30_000);
});
