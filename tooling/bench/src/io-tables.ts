// Bench harness (@toro/bench), pure: table models of the I/O cases — virtio-blk beside dd (blk), FAT
// throughput (fs), and HTTP / TCP throughput of Toro services beside Node.js on the host (http) —
// from their parsed samples, with ratios only between figures of the same run. No I/O; imports the
// result types, stats and the shared formatters.
import { formatFigure, metricMedian, metricSpread } from "./micro-tables.js";
import { formatRatio, runsOnLabel, type TableModel } from "./report-tables.js";
import type { BenchResults, MicroRun, Skipped } from "./results.js";
import { ratio } from "./stats.js";

function skippedNotes(skipped: Skipped[]): string[] {
  return skipped.map((s) => `not measured: ${s.label}: ${s.reason}`);
}

const BLK_COLUMNS: { metric: string; header: string }[] = [
  { metric: "blk.seq_write_qd1", header: "seq write QD1 (MB/s)" },
  { metric: "blk.seq_read_qd1", header: "seq read QD1 (MB/s)" },
  { metric: "blk.seq_write_qd8", header: "seq write QD8 (MB/s)" },
  { metric: "blk.seq_read_qd8", header: "seq read QD8 (MB/s)" },
  { metric: "blk.rand_read_qd1", header: "4 KiB rand read QD1 (IOPS)" },
  { metric: "blk.rand_read_qd32", header: "4 KiB rand read QD32 (IOPS)" },
];

/** The virtio-blk table: the guest on each machine type, then dd on the host, same disk file. */
export function blkTable(results: BenchResults): TableModel | null {
  const c = results.blk;
  if (c === undefined) return null;
  const kvmKind = results.machine.kvmKind;
  const direct = c.runs.find((r) => r.id === "blk-dd-direct");
  const cached = c.runs.find((r) => r.id === "blk-dd-page-cache");
  const ratioRows: string[][] = [];
  for (const r of c.runs.filter((x) => x.runsOn !== "host")) {
    for (const [name, host] of [["dd O_DIRECT", direct], ["dd page cache", cached]] as const) {
      if (host === undefined) continue;
      ratioRows.push([
        `  ${r.machine ?? ""} ÷ ${name}`,
        "",
        ...BLK_COLUMNS.map((col) => (host.metrics[col.metric] === undefined ? "" : formatRatio(ratio(metricMedian(r, col.metric), metricMedian(host, col.metric))))),
      ]);
    }
  }
  return {
    title: "virtio-blk in the guest beside dd on the host, same disk file (median [min–max])",
    headers: ["target", "runs on", ...BLK_COLUMNS.map((col) => col.header)],
    align: ["l", "l", ...BLK_COLUMNS.map(() => "r" as const)],
    rows: [
      ...c.runs.map((r) => [r.label, runsOnLabel(r.runsOn, kvmKind), ...BLK_COLUMNS.map((col) => metricSpread(r, col.metric))]),
      ...ratioRows,
    ],
    notes: [
      `Method: ${c.method}. QD = requests in flight; MB = 10^6 bytes. The ÷ rows divide the guest's median by the host's from the same run.`,
      "The guest's disk is attached with run-image's flags, i.e. QEMU's default cache mode (writeback): guest reads of data it just wrote come from the host's page cache, and a guest flush is an fdatasync on the host. So the \"dd page cache\" row is the like-for-like baseline; \"dd O_DIRECT\" shows the host's device itself.",
      "dd cannot issue requests concurrently or at random offsets, so the host has QD1 figures only; its random reads are a python3 os.preadv loop.",
      ...skippedNotes(c.skipped),
    ],
  };
}

/** The FAT table: @toro/fs sequential MB/s, beside raw virtio-blk QD1 of the blk case when it ran. */
export function fsTable(results: BenchResults): TableModel | null {
  const c = results.fs;
  if (c === undefined) return null;
  const raw = (machine: MicroRun["machine"]): MicroRun | undefined => results.blk?.runs.find((r) => r.runsOn !== "host" && r.machine === machine);
  return {
    title: "FAT32 sequential throughput in the guest (MB/s; median [min–max] over boots)",
    headers: ["target", "runs on", "boots", "seq write + fsync", "seq read (cold)", "write ÷ raw blk QD1", "read ÷ raw blk QD1", "file"],
    align: ["l", "l", "r", "r", "r", "r", "r", "l"],
    rows: c.runs.map((r) => [
      r.label,
      runsOnLabel(r.runsOn, results.machine.kvmKind),
      String(r.metrics["fs.seq_write"]?.samples.length ?? 0),
      metricSpread(r, "fs.seq_write"),
      metricSpread(r, "fs.seq_read"),
      formatRatio(ratio(metricMedian(r, "fs.seq_write"), metricMedian(raw(r.machine), "blk.seq_write_qd1"))),
      formatRatio(ratio(metricMedian(r, "fs.seq_read"), metricMedian(raw(r.machine), "blk.seq_read_qd1"))),
      r.detail ?? "",
    ]),
    notes: [
      `Method: ${c.method}.`,
      "\"÷ raw blk QD1\" divides by the blk case's 256 KiB QD1 figure for the same machine type from this run (— when the blk case did not run): the cost of the VFS, the block cache and FAT over the bare driver.",
      ...skippedNotes(c.skipped),
    ],
  };
}

const HTTP_LOADS: { name: string; label: string }[] = [
  { name: "hello", label: "HTTP hello (small body)" },
  { name: "file-1k", label: "HTTP static file, 1 KiB" },
  { name: "file-1m", label: "HTTP static file, 1 MiB" },
  { name: "echo", label: "TCP echo, bulk" },
];

/** How a run's client reached its server; results from before the tap path were slirp (VM) or loopback. */
export function httpNetwork(r: MicroRun): NonNullable<MicroRun["network"]> {
  return r.network ?? (r.runsOn === "host" ? "loopback" : "slirp");
}

const NETWORK_ORDER: Record<NonNullable<MicroRun["network"]>, number> = { loopback: 0, tap: 1, slirp: 2 };

/**
 * The HTTP/TCP table: per workload, Node.js on the host over loopback, the Toro service on a tap and
 * through slirp, each Toro row divided by Node's median, and the tap row by the slirp row's.
 */
export function httpTable(results: BenchResults): TableModel | null {
  const c = results.http;
  if (c === undefined) return null;
  const kvmKind = results.machine.kvmKind;
  const tapMissing = c.skipped.find((s) => s.id === "http-tap");
  const rows: string[][] = [];
  for (const load of HTTP_LOADS) {
    const isEcho = load.name === "echo";
    const main = isEcho ? `tcp.echo.mb_s` : `http.${load.name}.req_s`;
    const having = c.runs.filter((r) => r.metrics[main] !== undefined).sort((a, b) => NETWORK_ORDER[httpNetwork(a)] - NETWORK_ORDER[httpNetwork(b)]);
    if (having.length === 0) continue;
    const node = having.find((r) => httpNetwork(r) === "loopback");
    const slirp = having.find((r) => httpNetwork(r) === "slirp");
    for (const r of having) {
      const errors = r.metrics[`http.${load.name}.errors`];
      const net = httpNetwork(r);
      rows.push([
        load.label,
        r.label,
        net,
        runsOnLabel(r.runsOn, kvmKind),
        isEcho ? "—" : metricSpread(r, main),
        isEcho ? metricSpread(r, main) : metricSpread(r, `http.${load.name}.mb_s`),
        isEcho ? "—" : metricSpread(r, `http.${load.name}.latency_ms`),
        errors === undefined ? "—" : formatFigure(errors.samples.reduce((a, b) => a + b, 0)).replace(/\.0+$/, ""),
        r === node ? "" : formatRatio(ratio(metricMedian(r, main), metricMedian(node, main))),
        net === "tap" ? formatRatio(ratio(metricMedian(r, main), metricMedian(slirp, main))) : "",
      ]);
      if (net === "loopback" && tapMissing !== undefined) rows.push([load.label, "Toro on a tap", "tap", "", "not available yet", "", "", "", "", ""]);
    }
  }
  return {
    title: "HTTP and TCP throughput: Node.js on the host (loopback) vs Toro on a tap vs Toro through slirp (median [min–max])",
    headers: ["workload", "server", "path", "runs on", "req/s", "MB/s", "mean latency (ms)", "errors", "÷ Node (loopback)", "tap ÷ slirp"],
    align: ["l", "l", "l", "l", "r", "r", "r", "r", "r", "r"],
    rows,
    notes: [
      `Method: ${c.method}. MB/s counts response bodies (req/s × file size) or echoed payload, in 10^6 bytes.`,
      "Paths: loopback = Node on the host, reached over 127.0.0.1. tap = the guest's virtio-net on a tap device in a network namespace the bench creates and deletes; wrk and the echo client run inside that namespace, so Linux's TCP/IP stack talks to the guest's directly (QEMU copies frames between the tap and the virtio rings in its main loop; no vhost-net). slirp = QEMU user networking: a host port forward on 127.0.0.1 into QEMU's own TCP/IP stack, which then talks to the guest; its copying and single-threaded event loop are part of those figures.",
      "wrk, the Node servers, the echo client and QEMU share this 2-core host. \"÷ Node (loopback)\" divides a Toro row's median by Node's from the same run (req/s, or MB/s for echo); \"tap ÷ slirp\" divides the tap row's median by the slirp row's, same run. errors = non-2xx responses + socket errors over all timed wrk runs.",
      ...skippedNotes(c.skipped),
    ],
  };
}
