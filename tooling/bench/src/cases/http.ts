// Bench case "http" (@toro/bench, issue 7 case 4, issues 5 and 6): requests/s from `wrk` (keep-alive,
// fixed connections) against apps/hello-http and against apps/static-web-server for a 1 KiB and a
// 1 MiB file (MB/s too), and bulk TCP MB/s through apps/echo with a Node `net` client — each beside a
// Node.js server doing the same on the host (src/host-server.ts), with the same wrk settings and the
// same client. The guests are reached through QEMU user networking's host port forward on 127.0.0.1
// (slirp), the Node servers over loopback. Uses net-load, targets and timed-process; renders nothing.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { BenchContext } from "../context.js";
import { echoBulk, freeLoopbackPort, runWrk, type WrkSettings } from "../net-load.js";
import { repoRoot } from "../prepare.js";
import type { MicroCaseResult, MicroRun, RunsOn, Skipped } from "../results.js";
import { toroTarget } from "../targets.js";
import { timedRun } from "../timed-process.js";
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

/** A server to start, load and stop. */
interface Server {
  id: string;
  label: string;
  runsOn: RunsOn;
  /** Port the server listens on inside (guest) or on the host. */
  command(port: number): { command: string; args: string[] };
  ready: string;
  loads: Load[];
  detail: string;
}

/** Starts a server, waits for its ready line, runs its loads, stops it; always reaps the process. */
async function serveAndLoad(ctx: BenchContext, s: Server): Promise<MicroRun | Skipped> {
  const samples = httpSamples(ctx.options.quick);
  const port = await freeLoopbackPort();
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
        const url = `http://127.0.0.1:${port}${l.path}`;
        // A correctness check first: the whole body comes back.
        const response = await fetch(url);
        const got = (await response.arrayBuffer()).byteLength;
        if (response.status !== 200 || (l.bodyBytes > 0 && got !== l.bodyBytes)) throw new Error(`GET ${l.path}: status ${response.status}, ${got} bytes`);
        ctx.progress.status(`http: ${s.label}: ${l.name}, warm-up`);
        await runWrk(url, { ...WRK, seconds: 1 });
        for (let i = 0; i < samples; i++) {
          ctx.progress.status(`http: ${s.label}: ${l.name}, wrk ${i + 1}/${samples}`);
          const w = await runWrk(url, WRK);
          add(`http.${l.name}.req_s`, "req/s", w.requestsPerSecond);
          if (l.bodyBytes >= 1024) add(`http.${l.name}.mb_s`, "MB/s", (w.requestsPerSecond * l.bodyBytes) / 1e6);
          add(`http.${l.name}.errors`, "count", w.non2xx + w.socketErrors);
          if (w.latencyMeanMs !== undefined) add(`http.${l.name}.latency_ms`, "ms", w.latencyMeanMs);
        }
      } else {
        ctx.progress.status(`http: ${s.label}: echo, warm-up`);
        await echoBulk(port, 1024 * 1024, 60_000);
        for (let i = 0; i < samples + 1; i++) {
          ctx.progress.status(`http: ${s.label}: echo ${i + 1}/${samples + 1}`);
          add(`tcp.${l.name}.mb_s`, "MB/s", (await echoBulk(port, ECHO_BYTES, 120_000)).mbPerSecond);
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
  return { id: s.id, label: s.label, runsOn: s.runsOn, cpus: 1, metrics, wallMs: run.exitMs, detail: s.detail, ...(s.runsOn === "host" ? {} : { machine: "microvm" as const }) };
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
  let hostReady = true;
  try {
    await build({
      entryPoints: [fileURLToPath(new URL("../host-server.ts", import.meta.url))],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      outfile: hostScript,
      logLevel: "silent",
    });
  } catch (error) {
    hostReady = false;
    skipped.push({ id: "http-node", label: "Node.js servers on the host", reason: `esbuild failed: ${(error as Error).message}` });
  }
  const accel = ctx.kvmUsable ? "kvm" : "tcg";
  const guest = async (app: string, guestPort: number, ready: string, loads: Load[], disk?: string): Promise<Server | Skipped> => {
    const appDir = `${repoRoot}apps/${app}`;
    const label = `Toro ${app} (microvm, slirp port forward)`;
    if (!existsSync(`${appDir}/src/main.ts`)) return { id: `http-${app}`, label, reason: `not available yet: apps/${app} does not exist` };
    let image: string;
    try {
      image = await linkAppDir(ctx, `bench-${app}`, appDir);
    } catch (error) {
      return { id: `http-${app}`, label, reason: `link failed: ${(error as Error).message}` };
    }
    return {
      id: `http-${app}-${accel}`,
      label,
      runsOn: accel,
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
          ...(disk === undefined ? {} : { disks: [{ path: disk, readonly: true }] }),
        }).command(),
    };
  };
  const node = (mode: string, label: string, loads: Load[], extra: string[] = []): Server => ({
    id: `http-node-${mode}`,
    label,
    runsOn: "host",
    ready: "host-server: listening",
    loads,
    detail: `Node ${process.version} node:${mode === "echo" ? "net" : "http"} on 127.0.0.1 (loopback)`,
    command: (port) => ({ command: process.execPath, args: [hostScript, mode, String(port), ...extra] }),
  });
  const hello: Load[] = [{ kind: "wrk", name: "hello", path: "/", bodyBytes: 0 }];
  const files: Load[] = SITE_FILES.map((f) => ({ kind: "wrk", name: f.load, path: `/${f.name}`, bodyBytes: f.bytes }));
  const echo: Load[] = [{ kind: "echo", name: "echo" }];
  const servers: (Server | Skipped)[] = [
    await guest("hello-http", 80, "hello-http: listening on", hello),
    ...(hostReady ? [node("hello", "Node.js hello server on the host", hello)] : []),
  ];
  if (site !== undefined) {
    servers.push(await guest("static-web-server", 80, "static-web-server: serving", files, site.disk));
    if (hostReady) servers.push(node("static", "Node.js file server on the host (same files, host disk)", files, [site.dir]));
  }
  servers.push(await guest("echo", 7, "echo: listening on", echo));
  if (hostReady) servers.push(node("echo", "Node.js TCP echo on the host", echo));
  for (const s of servers) {
    if (!("loads" in s)) {
      skipped.push(s);
      continue;
    }
    const r = await serveAndLoad(ctx, s);
    if ("metrics" in r) runs.push(r);
    else skipped.push(r);
  }
  return { runs, skipped, method };
}
