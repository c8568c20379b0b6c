// Node-shaped sockets over two stacks joined by a fake wire, in virtual time.
import { describe, expect, it } from "vitest";
import { nicPair, VirtualScheduler } from "../testing/fake-nic.js";
import { prng } from "../testing/sim.js";
import { dhcpServer, dnsServer } from "../testing/servers.js";
import { ipv4 } from "../wire/address.js";
import { createStack, type NetStack } from "./stack.js";
import type { Socket } from "./tcp-socket.js";

const idle = () => new Promise<void>((r) => setImmediate(r));

function world() {
  const sched = new VirtualScheduler();
  const [na, nb] = nicPair();
  const tcp = { minRtoMs: 200, synRetries: 3, maxRetransmits: 4 };
  const a = createStack(na, { address: "10.0.0.1", secret: new Uint8Array(16).fill(1), scheduler: sched, tcp });
  const b = createStack(nb, { address: "10.0.0.2", secret: new Uint8Array(16).fill(2), scheduler: sched, tcp });
  /** Runs microtasks to quiescence, then fires timers in virtual time until `done()` or the limit. */
  async function until(done: () => boolean, limitMs = 1_000_000): Promise<boolean> {
    for (let i = 0; i < 100_000; i++) {
      await idle();
      if (done()) return true;
      if (sched.time > limitMs || !sched.fireNext()) {
        await idle();
        return done();
      }
    }
    return done();
  }
  return { sched, na, nb, a, b, until };
}

function echoServer(stack: NetStack, port: number) {
  const server = stack.createServer((s) => s.on("data", (d: Uint8Array) => s.write(d)));
  server.listen(port);
  return server;
}

const text = (chunks: Uint8Array[]) => String.fromCharCode(...chunks.flatMap((c) => [...c]));

describe("net-shaped TCP sockets", () => {
  it("echo: connect, data, end, close", async () => {
    const w = world();
    echoServer(w.b, 7);
    await w.until(() => false, 0);
    const got: Uint8Array[] = [];
    const events: string[] = [];
    const s = w.a.connect(7, "10.0.0.2", () => {
      events.push("connect");
      s.write("hello ");
      s.end("world");
    });
    s.on("data", (d: Uint8Array) => got.push(d));
    s.on("end", () => events.push("end"));
    s.on("close", (hadError: boolean) => events.push(`close ${hadError}`));
    expect(await w.until(() => events.includes("close false"))).toBe(true);
    expect(text(got)).toBe("hello world");
    expect(events).toEqual(["connect", "end", "close false"]);
    expect(s.remotePort).toBe(7);
    expect(s.remoteAddress).toBe("10.0.0.2");
  });

  it("ECONNREFUSED when nothing listens", async () => {
    const w = world();
    const errors: string[] = [];
    w.a.connect(9, "10.0.0.2").on("error", (e: { code: string }) => errors.push(e.code));
    expect(await w.until(() => errors.length > 0)).toBe(true);
    expect(errors).toEqual(["ECONNREFUSED"]);
  });

  it("EADDRINUSE for a second server on a port", async () => {
    const w = world();
    echoServer(w.b, 80);
    const errors: string[] = [];
    w.b.createServer().listen(80).on("error", (e: { code: string }) => errors.push(e.code));
    await w.until(() => errors.length > 0);
    expect(errors).toEqual(["EADDRINUSE"]);
  });

  it("ETIMEDOUT when the peer never answers", async () => {
    const w = world();
    w.nb.cut = true;
    const errors: string[] = [];
    w.a.connect(80, "10.0.0.2").on("error", (e: { code: string }) => errors.push(e.code));
    expect(await w.until(() => errors.length > 0)).toBe(true);
    expect(errors).toEqual(["ETIMEDOUT"]);
  });

  it("ECONNRESET when the peer destroys the connection", async () => {
    const w = world();
    w.b.createServer((s) => s.on("data", () => s.destroy())).listen(80);
    const errors: string[] = [];
    const s = w.a.connect(80, "10.0.0.2", () => s.write("x"));
    s.on("error", (e: { code: string }) => errors.push(e.code));
    expect(await w.until(() => errors.length > 0)).toBe(true);
    expect(errors).toEqual(["ECONNRESET"]);
  });

  it("EPIPE on write after end", async () => {
    const w = world();
    echoServer(w.b, 7);
    const errors: string[] = [];
    const s = w.a.connect(7, "10.0.0.2", () => {
      s.end();
      s.write("late");
    });
    s.on("error", (e: { code: string }) => errors.push(e.code));
    await w.until(() => errors.length > 0);
    expect(errors).toEqual(["EPIPE"]);
  });

  it("write backpressure: false, then drain; 2 MiB arrive byte-exact through async iteration", async () => {
    const w = world();
    const r = prng(9);
    const data = Uint8Array.from({ length: 2 << 20 }, () => (r() * 256) | 0);
    const received: Uint8Array[] = [];
    let done = false;
    w.b.createServer(async (s: Socket) => {
      for await (const chunk of s) received.push(chunk);
      done = true;
    }).listen(5001);
    let sawFalse = false;
    let drains = 0;
    const s = w.a.connect(5001, "10.0.0.2", () => {
      sawFalse = !s.write(data);
      s.end();
    });
    s.on("drain", () => drains++);
    expect(await w.until(() => done)).toBe(true);
    expect(sawFalse).toBe(true);
    expect(drains).toBe(1);
    const all = new Uint8Array(received.reduce((n, c) => n + c.length, 0));
    let o = 0;
    for (const c of received) {
      all.set(c, o);
      o += c.length;
    }
    expect(all.length).toBe(data.length);
    expect(all.every((v, i) => v === data[i])).toBe(true);
  });

  it("setNoDelay and setKeepAlive: a vanished peer is detected with ETIMEDOUT", async () => {
    const w = world();
    echoServer(w.b, 7);
    const errors: string[] = [];
    const s = w.a.connect(7, "10.0.0.2", () => {
      s.setNoDelay(true);
      s.setKeepAlive(true, 10_000);
      w.nb.cut = true;
    });
    s.on("error", (e: { code: string }) => errors.push(e.code));
    expect(await w.until(() => errors.length > 0, 10_000_000)).toBe(true);
    expect(errors).toEqual(["ETIMEDOUT"]);
    expect(w.sched.time).toBeGreaterThanOrEqual(10_000 + 9 * 75_000);
  });
});

describe("dgram-shaped UDP sockets", () => {
  it("binds, sends and receives with rinfo", async () => {
    const w = world();
    const server = w.b.createSocket("udp4");
    server.on("message", (msg: Uint8Array, rinfo: { port: number; address: string }) => server.send(msg, rinfo.port, rinfo.address));
    server.bind(7);
    const client = w.a.createSocket("udp4");
    const got: string[] = [];
    client.on("message", (msg: Uint8Array, rinfo: { address: string }) => got.push(`${rinfo.address} ${text([msg])}`));
    client.bind(0, () => client.send("ping", 7, "10.0.0.2"));
    expect(await w.until(() => got.length > 0)).toBe(true);
    expect(got).toEqual(["10.0.0.2 ping"]);
  });
  it("EADDRINUSE on a bound port", async () => {
    const w = world();
    w.b.createSocket("udp4").bind(53);
    const errors: string[] = [];
    w.b.createSocket("udp4").bind(53).on("error", (e: { code: string }) => errors.push(e.code));
    await w.until(() => errors.length > 0);
    expect(errors).toEqual(["EADDRINUSE"]);
  });
});

describe("stack configuration by DHCP and name lookup", () => {
  it("ready() resolves with the leased address; lookup() uses the lease's DNS server", async () => {
    const sched = new VirtualScheduler();
    const [na, nb] = nicPair();
    const server = createStack(nb, { address: "10.0.2.2", secret: new Uint8Array(16).fill(2), scheduler: sched });
    dhcpServer(server.iface, 3600, ipv4("10.0.2.2")!, [ipv4("10.0.2.2")!]);
    dnsServer(server.iface);
    const guest = createStack(na, { secret: new Uint8Array(16).fill(1), scheduler: sched });
    let address = "";
    void guest.ready().then((a) => (address = a));
    for (let i = 0; i < 1000 && !address; i++) {
      await idle();
      if (!address) sched.fireNext();
    }
    expect(address).toBe("10.0.2.15");
    let resolved: string[] = [];
    let failure = "";
    void guest.lookup("www.example").then((a) => (resolved = a));
    void guest.lookup("nx.example").catch((e: { code: string }) => (failure = e.code));
    for (let i = 0; i < 1000 && (!resolved.length || !failure); i++) {
      await idle();
      if (!resolved.length || !failure) sched.fireNext();
    }
    expect(resolved).toEqual(["10.0.0.9"]);
    expect(failure).toBe("ENOTFOUND");
  });
});
