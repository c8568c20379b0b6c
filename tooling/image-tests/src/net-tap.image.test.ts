// Issue 5, image tests over tap networking: Linux's own TCP/IP stack talks to ours with nothing in
// between. The test creates a network namespace holding a tap device (10.9.88.1/24), runs QEMU inside
// it (`ip netns exec`, `-netdev tap,ifname=...,script=no,downscript=no`) and boots apps/hello-http, then
// apps/echo, at the static address 10.9.88.2 (the namespace has no DHCP server). From inside the
// namespace: ICMP echo (ping, or a raw socket when ping is not installed), curl, and a 50 MB echo
// checked byte-exact; with tc netem (2% loss, reordering) when this kernel has sch_netem. Needs root,
// /dev/net/tun, ip and python3; skipped with a printed reason otherwise. Host-side test code; every VM
// is stopped and the namespace deleted in afterAll. Traffic stays inside the namespace.
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boot, link, repoRoot } from "./boot.js";

const tag = `${process.pid % 100000}`;
const ns = `toro-tap-${tag}`;
const tap = `ttap${tag}`;
const HOST = "10.9.88.1";
const GUEST = "10.9.88.2";

function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}
const inNs = (cmd: string, args: string[]): string => sh("ip", ["netns", "exec", ns, cmd, ...args]);
const has = (tool: string): boolean => {
  try {
    sh("which", [tool]);
    return true;
  } catch {
    return false;
  }
};

function cleanup(): void {
  try {
    sh("ip", ["netns", "del", ns]); // deletes the tap with it
  } catch {
    /* already gone */
  }
}

/** Builds the namespace with its tap; returns why not when this machine does not allow it. */
function setUp(): string | undefined {
  if (process.getuid?.() !== 0) return "not root";
  if (!existsSync("/dev/net/tun")) return "no /dev/net/tun";
  for (const tool of ["ip", "python3", "curl"]) if (!has(tool)) return `${tool} missing`;
  try {
    sh("ip", ["netns", "add", ns]);
    process.once("exit", cleanup);
    inNs("ip", ["tuntap", "add", "dev", tap, "mode", "tap"]);
    inNs("ip", ["addr", "add", `${HOST}/24`, "dev", tap]);
    inNs("ip", ["link", "set", tap, "up"]);
    inNs("ip", ["link", "set", "lo", "up"]);
  } catch (e) {
    cleanup();
    return `cannot build a namespace with a tap device: ${String(e).split("\n")[0]}`;
  }
  return undefined;
}

/** Runs a python3 script inside the namespace; resolves with its output, rejects on a non-zero exit. */
function pyInNs(script: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn("ip", ["netns", "exec", ns, "python3", "-c", script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    const timer = setTimeout(() => p.kill("SIGKILL"), timeoutMs);
    p.stdout.on("data", (d: Buffer) => (text += d.toString()));
    p.stderr.on("data", (d: Buffer) => (text += d.toString()));
    p.on("exit", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(text);
      else reject(new Error(`python exited ${code}: ${text}`));
    });
  });
}

const RAW_PING = `
import socket, struct, sys
def csum(b):
    b += b'\\0' * (len(b) % 2)
    x = sum(struct.unpack('!%dH' % (len(b)//2), b)); x = (x >> 16) + (x & 0xffff); x += x >> 16; return (~x) & 0xffff
r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP); r.settimeout(3)
got = 0
for seq in range(1, 4):
    p = struct.pack('!BBHHH', 8, 0, 0, 0x7070, seq) + b'toro-tap-ping'
    p = p[:2] + struct.pack('!H', csum(p)) + p[4:]
    r.sendto(p, (sys.argv[1], 0))
    while True:
        d, a = r.recvfrom(200)
        ihl = (d[0] & 15) * 4
        t, _, _, ident, s = struct.unpack('!BBHHH', d[ihl:ihl+8])
        if a[0] == sys.argv[1] and t == 0 and ident == 0x7070 and s == seq and d[ihl+8:] == b'toro-tap-ping':
            got += 1; break
print("replies", got)
`;

// Sends SIZE bytes from a thread while the main thread reads the echo back; compares SHA-256.
const ECHO_CLIENT = `
import socket, hashlib, os, sys, threading
host, size = sys.argv[1], int(sys.argv[2])
data = os.urandom(size)
c = socket.create_connection((host, 7), timeout=30)
threading.Thread(target=lambda: c.sendall(data), daemon=True).start()
h = hashlib.sha256(); n = 0
while n < size:
    b = c.recv(1 << 20)
    if not b: break
    h.update(b); n += len(b)
c.close()
print("echo", n, h.hexdigest() == hashlib.sha256(data).hexdigest())
`;

let reason: string | undefined = "not set up";
let qemuInNs = "";
let helloImage = "";
let echoImage = "";

beforeAll(async () => {
  reason = setUp();
  if (reason) {
    console.warn(`net-tap: skipped: ${reason}`);
    return;
  }
  // run-image starts this instead of QEMU, so QEMU (and the tap it opens) lives in the namespace.
  const dir = mkdtempSync(join(tmpdir(), "toro-net-tap-"));
  qemuInNs = join(dir, "qemu-in-netns");
  writeFileSync(qemuInNs, `#!/bin/sh\nexec ip netns exec ${ns} qemu-system-x86_64 "$@"\n`);
  chmodSync(qemuInNs, 0o755);
  [helloImage, echoImage] = await Promise.all([link(join(repoRoot, "apps/hello-http")), link(join(repoRoot, "apps/echo"))]);
}, 180_000);

afterAll(() => {
  if (!reason) cleanup();
});

/** Boots `image` on the namespace's tap at the static GUEST address; resolves once `ready` matched. */
function useVm(image: () => string, ready: RegExp): { output: () => string } {
  const abort = new AbortController();
  let output = "";
  let run: Promise<unknown> = Promise.resolve();
  beforeAll(async () => {
    if (reason) return;
    let up!: () => void;
    const started = new Promise<void>((r) => (up = r));
    run = boot(image(), {
      machine: "microvm",
      qemuPath: qemuInNs,
      cmdline: `ip=${GUEST}`,
      extraArgs: ["-netdev", `tap,id=tap0,ifname=${tap},script=no,downscript=no`, "-device", "virtio-net-device,netdev=tap0"],
      timeoutMs: 170_000,
      signal: abort.signal,
      onOutput: (chunk) => {
        output += chunk;
        if (ready.test(output)) up();
      },
    }).then(
      (r) => console.log(`net-tap: ${image().split("/").pop()} ran on ${r.accel}`),
      () => undefined,
    );
    await Promise.race([started, run.then(() => Promise.reject(new Error(`the VM stopped before it was ready:\n${output}`)))]);
  }, 120_000);
  afterAll(async () => {
    abort.abort();
    await run;
  });
  return { output: () => output };
}

describe("hello-http on a tap in a network namespace (microvm)", () => {
  const vm = useVm(() => helloImage, /hello-http: listening on \S+\n/);

  it("answers Linux's ping", async (ctx) => {
    if (reason) return ctx.skip();
    expect(vm.output()).toContain(`hello-http: static address ${GUEST}`);
    if (has("ping")) {
      expect(inNs("ping", ["-c", "3", "-W", "3", GUEST])).toMatch(/3 received/);
    } else {
      console.log("net-tap: no ping binary here; sending ICMP echo requests from a python raw socket instead");
      expect(await pyInNs(RAW_PING, [GUEST], 20_000)).toContain("replies 3");
    }
  }, 30_000);

  it("answers curl from Linux with 200", (ctx) => {
    if (reason) return ctx.skip();
    const out = inNs("curl", ["--silent", "--show-error", "--max-time", "20", "-i", `http://${GUEST}/from-linux`]);
    expect(out).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(out.endsWith("\r\n\r\nhello from Toro: GET /from-linux\n")).toBe(true);
  }, 30_000);
});

describe("echo on a tap in a network namespace (microvm)", () => {
  useVm(() => echoImage, /echo: listening on \S+\n/);
  const size = 50 * 1024 * 1024;

  it("echoes 50 MB from Linux byte-exact", async (ctx) => {
    if (reason) return ctx.skip();
    expect(await pyInNs(ECHO_CLIENT, [GUEST, String(size)], 100_000)).toContain(`echo ${size} True`);
  }, 120_000);

  it("still byte-exact with tc netem adding 2% loss and reordering on the tap", async (ctx) => {
    if (reason) return ctx.skip();
    try {
      inNs("tc", ["qdisc", "add", "dev", tap, "root", "netem", "delay", "1ms", "loss", "2%", "reorder", "10%", "50%"]);
    } catch (e) {
      const why = (e as { stderr?: string }).stderr?.trim() || String(e).split("\n")[0];
      console.warn(`net-tap: netem part skipped (tc qdisc add ... netem failed; this kernel has no sch_netem): ${why}`);
      return ctx.skip();
    }
    try {
      expect(await pyInNs(ECHO_CLIENT, [GUEST, String(size)], 100_000)).toContain(`echo ${size} True`);
    } finally {
      inNs("tc", ["qdisc", "del", "dev", tap, "root"]);
    }
  }, 120_000);
});
