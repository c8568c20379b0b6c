// Bench case "http" (@toro/bench, issue 7 case 4, issues 5 and 6): requests/s from `wrk` (keep-alive,
// fixed connections) against apps/hello-http and against apps/static-web-server for a 1 KiB and a
// 1 MiB file (MB/s too), and bulk TCP MB/s through apps/echo with a Node `net` client — each beside a
// Node.js server doing the same on the host (src/host-server.ts), with the same wrk settings and the
// same client. Each guest is measured twice: on a tap in a network namespace the case creates (wrk and
// the Node client run inside it, src/net-client.ts; the namespace is always deleted, see netns.ts),
// and through QEMU user networking's host port forward on 127.0.0.1 (slirp); the Node servers over
// loopback. Uses net-load, netns, tap-net, targets and timed-process; renders nothing.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { BenchContext } from "../context.js";
import { echoBulk, freeLoopbackPort, runWrk, type CommandWrap, type WrkSettings } from "../net-load.js";
import { createTapNamespace, type TapNamespace } from "../netns.js";
import { repoRoot } from "../prepare.js";
import type { MicroCaseResult, MicroRun, RunsOn, Skipped } from "../results.js";
import { parseNetClientOutput, TAP_NET, tapGuestCmdline, tapQemuArgs, type NetClientResult } from "../tap-net.js";
import { toroTarget } from "../targets.js";
import { timedRun } from "../timed-process.js";
import type { WrkSummary } from "../tool-output.js";
import { linkAppDir } from "./guest-bench.js";

const cacheDir = fileURLToPath(new URL("../../.cache", import.meta.url));
const workDir = `${cacheDir}/http`;

/** wrk's settings for every server of the run. */
export const WRK: WrkSettings = { threads: 1, connections: 8, seconds: 5 };
/** Bytes sent through each echo server per sample. */
export const ECHO_BYTES = 32 * 1024 * 1024;

/** The files both static servers serve (the guest from a FAT disk, Node from the host's disk). */
export const SITE_FILES = [
  { name: "1k.bin", bytes: 1024, load: "file-1k" },
  { name: "1m.bin", bytes: 1024 * 1024, load: "file-1m" },
] as const;

/** Timed wrk runs (or echo transfers) per load: one in a quick pass, else three. */
export function httpSamples(quick: boolean): number {
  return quick ? 1 : 3;
}

/** One workload put on a server. */
type Load = { kind: "wrk"; name: string; path: string; bodyBytes: number } | { kind: "echo"; name: string };

/** How the client side reaches a server, and runs its checks and loads from there. */
interface Reach {
  network: NonNullable<MicroRun["network"]>;
  host: string;
  /** The port to use (tap: the guest's own); undefined: a free loopback port, forwarded or listened on. */
  port?: number;
  get(url: string): Promise<{ status: number; bytes: number }>;
  wrk(url: string, s: WrkSettings): Promise<WrkSummary>;
  echo(port: number, bytes: number, timeoutMs: number): Promise<{ mbPerSecond: number }>;
}

/** From this process over 127.0.0.1: Node on loopback, or the guest through slirp's host forward. */
function loopbackReach(network: "loopback" | "slirp"): Reach {
  return {
    network,
    host: "127.0.0.1",
    get: async (url) => {
      const response = await fetch(url);
      return { status: response.status, bytes: (await response.arrayBuffer()).byteLength };
    },
    wrk: (url, s) => runWrk(url, s),
    echo: (port, bytes, timeoutMs) => echoBulk(port, bytes, timeoutMs),
  };
}

/** From inside the tap's namespace: wrk and src/net-client.ts run there, against the guest's address. */
function tapReach(wrap: CommandWrap, clientScript: string, guestPort: number): Reach {
  const client = async (args: string[], timeoutMs: number): Promise<NetClientResult> => {
    const { command, args: full } = wrap(process.execPath, [clientScript, ...args]);
    const run = await timedRun({ command, args: full, match: "\u0000never\u0000", timeoutMs });
    const parsed = parseNetClientOutput(run.output + run.stderr);
    if (parsed instanceof Error) throw new Error(`net-client in the namespace: ${parsed.message}`);
    return parsed;
  };
  return {
    network: "tap",
    host: TAP_NET.guest,
    port: guestPort,
    get: async (url) => {
      const r = await client(["get", url], 30_000);
      if (r.kind !== "get") throw new Error("net-client: unexpected reply");
      return r;
    },
    wrk: (url, s) => runWrk(url, s, wrap),
    echo: async (port, bytes, timeoutMs) => {
      const r = await client(["echo", TAP_NET.guest, String(port), String(bytes), String(timeoutMs)], timeoutMs + 15_000);
      if (r.kind !== "echo") throw new Error("net-client: unexpected reply");
      return r;
    },
  };
}

/** A server to start, load and stop. */
interface Server {
  id: string;
  label: string;
  runsOn: RunsOn;
  reach: Reach;
  /** Port the server listens on (Node) or is forwarded to (slirp); ignored on the tap. */
  command(port: number): { command: string; args: string[] };
  ready: string;
  loads: Load[];
  detail: string;
}

/** Starts a server, waits for its ready line, runs its loads, stops it; always reaps the process. */
async function serveAndLoad(ctx: BenchContext, s: Server): Promise<MicroRun | Skipped> {
  const samples = httpSamples(ctx.options.quick);
  const reach = s.reach;
  const port = reach.port ?? (await freeLoopbackPort());
  const { command, args } = s.command(port);
  const metrics: MicroRun["metrics"] = {};
  const add = (name: string, unit: string, v: number): void => {
    (metrics[name] ??= { unit, samples: [] }).samples.push(v);
  };
  let loadError: Error | undefined;
  let loading: Promise<void> | undefined;
  const load = async (): Promise<void> => {
    for (const l of s.loads) {
      if (l.kind === "wrk") {
        const url = `http://${reach.host}:${port}${l.path}`;
        // A correctness check first: the whole body comes back.
        const response = await reach.get(url);
        if (response.status !== 200 || (l.bodyBytes > 0 && response.bytes !== l.bodyBytes)) throw new Error(`GET ${l.path}: status ${response.status}, ${response.bytes} bytes`);
        ctx.progress.status(`http: ${s.label}: ${l.name}, warm-up`);
        await reach.wrk(url, { ...WRK, seconds: 1 });
        for (let i = 0; i < samples; i++) {
          ctx.progress.status(`http: ${s.label}: ${l.name}, wrk ${i + 1}/${samples}`);
          const w = await reach.wrk(url, WRK);
          add(`http.${l.name}.req_s`, "req/s", w.requestsPerSecond);
          if (l.bodyBytes >= 1024) add(`http.${l.name}.mb_s`, "MB/s", (w.requestsPerSecond * l.bodyBytes) / 1e6);
          add(`http.${l.name}.errors`, "count", w.non2xx + w.socketErrors);
          if (w.latencyMeanMs !== undefined) add(`http.${l.name}.latency_ms`, "ms", w.latencyMeanMs);
        }
      } else {
        ctx.progress.status(`http: ${s.label}: echo, warm-up`);
        await reach.echo(port, 1024 * 1024, 60_000);
        for (let i = 0; i < samples + 1; i++) {
          ctx.progress.status(`http: ${s.label}: echo ${i + 1}/${samples + 1}`);
          add(`tcp.${l.name}.mb_s`, "MB/s", (await reach.echo(port, ECHO_BYTES, 120_000)).mbPerSecond);
        }
      }
    }
  };
  const budgetMs = 90_000 + s.loads.length * samples * (WRK.seconds + 40) * 1000;
  ctx.progress.status(`http: starting ${s.label}…`);
  const run = await timedRun({
    command,
    args,
    match: s.ready,
    timeoutMs: budgetMs,
    onMatch: (_pid, stop) => {
      loading = load()
        .catch((e: unknown) => {
          loadError = e instanceof Error ? e : new Error(String(e));
        })
        .finally(stop);
    },
  });
  await loading;
  const label = `${s.label} [${s.runsOn}]`;
  if (run.firstMatchMs === null) {
    const tail = (run.output + run.stderr).trim().split("\n").slice(-2).join(" | ").slice(0, 240);
    return { id: s.id, label, reason: `${run.timedOut ? "timed out" : "exited"} before "${s.ready}"; ${tail}` };
  }
  if (loadError !== undefined) return { id: s.id, label, reason: loadError.message };
  return {
    id: s.id,
    label: s.label,
    runsOn: s.runsOn,
    cpus: 1,
    metrics,
    wallMs: run.exitMs,
    detail: s.detail,
    network: reach.network,
    ...(s.runsOn === "host" ? {} : { machine: "microvm" as const }),
  };
}

/** Writes the site files and the FAT disk holding them; returns the disk path. */
function buildSite(): { dir: string; disk: string } {
  const dir = `${workDir}/site`;
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const f of SITE_FILES) writeFileSync(`${dir}/${f.name}`, Buffer.from(Array.from({ length: f.bytes }, (_, i) => (i * 13 + 5) & 0xff)));
  const disk = `${workDir}/site.img`;
  const env = { ...process.env, MTOOLS_SKIP_CHECK: "1" };
  execFileSync("mkfs.fat", ["-C", "-F", "32", "-n", "SITE", disk, String(64 * 1024)], { stdio: "pipe", env });
  execFileSync("mcopy", ["-i", disk, ...SITE_FILES.map((f) => `${dir}/${f.name}`), "::/"], { stdio: "pipe", env });
  return { dir, disk };
}

/** Runs the http case. */
export async function runHttpCase(ctx: BenchContext): Promise<MicroCaseResult> {
  const method = `wrk -t${WRK.threads} -c${WRK.connections} -d${WRK.seconds}s (keep-alive), after a 1 s warm-up; echo: ${ECHO_BYTES / 2 ** 20} MiB per sample through one connection, written and read back concurrently by a Node net client, every byte checked`;
  const runs: MicroRun[] = [];
  const skipped: Skipped[] = [];
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
  } catch (error) {
    // wrk --version exits 1 after printing; only a missing binary matters.
    if ((error as { code?: string }).code === "ENOENT") {
      return { runs, skipped: [{ id: "http", label: "HTTP req/s", reason: "wrk is not installed (apt-get install -y wrk; tooling/scripts/install-deps.sh lists it)" }], method };
    }
  }
  let site: { dir: string; disk: string } | undefined;
  try {
    site = buildSite();
  } catch (error) {
    skipped.push({ id: "http-site", label: "static files", reason: `could not build the FAT site image (mkfs.fat, mcopy): ${(error as Error).message.split("\n")[0]}` });
  }
  const hostScript = `${cacheDir}/host-server.mjs`;
  const clientScript = `${cacheDir}/net-client.mjs`;
  let hostReady = true;
  let clientReady = true;
  const bundle = (entry: string, outfile: string): Promise<unknown> =>
    build({
      entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      outfile,
      logLevel: "silent",
    });
  try {
    await bundle("../host-server.ts", hostScript);
  } catch (error) {
    hostReady = false;
    skipped.push({ id: "http-node", label: "Node.js servers on the host", reason: `esbuild failed: ${(error as Error).message}` });
  }
  try {
    await bundle("../net-client.ts", clientScript);
  } catch (error) {
    clientReady = false;
    skipped.push({ id: "http-tap", label: "Toro guests on a tap", reason: `not available yet: esbuild of the in-namespace client failed: ${(error as Error).message}` });
  }
  const accel = ctx.kvmUsable ? "kvm" : "tcg";
  const images = new Map<string, string | Error>();
  const linkOnce = async (app: string, appDir: string): Promise<string | Error> => {
    if (!images.has(app)) {
      try {
        images.set(app, await linkAppDir(ctx, `bench-${app}`, appDir));
      } catch (error) {
        images.set(app, error as Error);
      }
    }
    return images.get(app)!;
  };
  type Via = { network: "slirp" } | { network: "tap"; ns: TapNamespace };
  const guest = async (app: string, guestPort: number, ready: string, loads: Load[], via: Via, disk?: string): Promise<Server | Skipped> => {
    const appDir = `${repoRoot}apps/${app}`;
    const label = via.network === "tap" ? `Toro ${app} (microvm, tap in a netns)` : `Toro ${app} (microvm, slirp port forward)`;
    const id = `http-${app}-${via.network}-${accel}`;
    if (!existsSync(`${appDir}/src/main.ts`)) return { id, label, reason: `not available yet: apps/${app} does not exist` };
    const image = await linkOnce(app, appDir);
    if (image instanceof Error) return { id, label, reason: `link failed: ${image.message}` };
    const disks = disk === undefined ? {} : { disks: [{ path: disk, readonly: true }] };
    if (via.network === "tap") {
      return {
        id,
        label,
        runsOn: accel,
        reach: tapReach(via.ns.wrap, clientScript, guestPort),
        ready,
        loads,
        detail: `tap in a network namespace created by the bench (no vhost-net); guest ${TAP_NET.guest}/${TAP_NET.prefix} static, tap ${TAP_NET.host}; wrk and the Node client run in the namespace; virtio-net on virtio-mmio`,
        command: () =>
          toroTarget({
            id: app,
            label,
            qemu: ctx.qemu,
            image,
            accel,
            cmdline: tapGuestCmdline(),
            extraArgs: tapQemuArgs(via.ns.tap),
            wrap: via.ns.wrap,
            ...disks,
          }).command(),
      };
    }
    return {
      id,
      label,
      runsOn: accel,
      reach: loopbackReach("slirp"),
      ready,
      loads,
      detail: "QEMU user networking (slirp) hostfwd 127.0.0.1 → guest; virtio-net on virtio-mmio",
      command: (port) =>
        toroTarget({
          id: app,
          label,
          qemu: ctx.qemu,
          image,
          accel,
          ports: [{ host: port, guest: guestPort, hostAddress: "127.0.0.1" }],
          ...disks,
        }).command(),
    };
  };
  const node = (mode: string, label: string, loads: Load[], extra: string[] = []): Server => ({
    id: `http-node-${mode}`,
    label,
    runsOn: "host",
    reach: loopbackReach("loopback"),
    ready: "host-server: listening",
    loads,
    detail: `Node ${process.version} node:${mode === "echo" ? "net" : "http"} on 127.0.0.1 (loopback)`,
    command: (port) => ({ command: process.execPath, args: [hostScript, mode, String(port), ...extra] }),
  });
  const hello: Load[] = [{ kind: "wrk", name: "hello", path: "/", bodyBytes: 0 }];
  const files: Load[] = SITE_FILES.map((f) => ({ kind: "wrk", name: f.load, path: `/${f.name}`, bodyBytes: f.bytes }));
  const echo: Load[] = [{ kind: "echo", name: "echo" }];

  // The tap path: one namespace for the whole case, deleted in `finally` (and on exit, see netns.ts).
  let tapNs: TapNamespace | undefined;
  if (clientReady) {
    const made = createTapNamespace();
    if ("reason" in made) {
      skipped.push({ id: "http-tap", label: "Toro guests on a tap in a network namespace", reason: `not available yet: ${made.reason}` });
      ctx.progress.note(`http: tap path not available yet: ${made.reason}`);
    } else tapNs = made;
  }
  try {
    // Per workload: Node over loopback, then the guest on the tap, then the guest through slirp.
    const group = async (app: string, guestPort: number, ready: string, loads: Load[], nodeServer: Server | undefined, disk?: string): Promise<(Server | Skipped)[]> => [
      ...(nodeServer === undefined ? [] : [nodeServer]),
      ...(tapNs === undefined ? [] : [await guest(app, guestPort, ready, loads, { network: "tap", ns: tapNs }, disk)]),
      await guest(app, guestPort, ready, loads, { network: "slirp" }, disk),
    ];
    const servers: (Server | Skipped)[] = [
      ...(await group("hello-http", 80, "hello-http: listening on", hello, hostReady ? node("hello", "Node.js hello server on the host", hello) : undefined)),
    ];
    if (site !== undefined) {
      const nodeStatic = hostReady ? node("static", "Node.js file server on the host (same files, host disk)", files, [site.dir]) : undefined;
      servers.push(...(await group("static-web-server", 80, "static-web-server: serving", files, nodeStatic, site.disk)));
    }
    servers.push(...(await group("echo", 7, "echo: listening on", echo, hostReady ? node("echo", "Node.js TCP echo on the host", echo) : undefined)));
    for (const s of servers) {
      if (!("loads" in s)) {
        skipped.push(s);
        continue;
      }
      const r = await serveAndLoad(ctx, s);
      if ("metrics" in r) runs.push(r);
      else skipped.push(r);
    }
  } finally {
    const leftover = tapNs?.close() ?? null;
    if (leftover !== null) ctx.progress.note(`http: ${leftover}`);
  }
  const tapNote = tapNs === undefined ? "" : `; tap path: a namespace with a tap (${TAP_NET.host}/${TAP_NET.prefix}), the guest at ${TAP_NET.guest} (boot options ${tapGuestCmdline()}), wrk and the Node client run inside the namespace`;
  return { runs, skipped, method: method + tapNote };
}
