// Unit tests of the I/O table models (blk, fs, http) and their same-run ratios; fixed samples only.
import { describe, expect, it } from "vitest";
import { blkTable, fsTable, httpNetwork, httpTable } from "./io-tables.js";
import { wrkArgs } from "./net-load.js";
import { allTables } from "./report-tables.js";
import type { BenchResults, MicroRun } from "./results.js";
import { sampleResults } from "./test-fixtures.js";

function run(id: string, runsOn: MicroRun["runsOn"], metrics: Record<string, number[]>, extra: Partial<MicroRun> = {}): MicroRun {
  return {
    id,
    label: id,
    runsOn,
    cpus: 1,
    wallMs: 1000,
    metrics: Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, { unit: "x", samples: v }])),
    ...extra,
  };
}

function withIo(): BenchResults {
  const r = sampleResults();
  r.blk = {
    method: "m",
    skipped: [{ id: "s", label: "dd on the host, O_DIRECT: 4 KiB random reads", reason: "python3 reader failed" }],
    runs: [
      run("toro-microvm", "kvm", { "blk.seq_write_qd1": [100, 90, 110], "blk.seq_read_qd1": [200], "blk.seq_read_qd8": [400], "blk.rand_read_qd1": [1000] }, { machine: "microvm" }),
      run("blk-dd-direct", "host", { "blk.seq_write_qd1": [1000], "blk.seq_read_qd1": [800] }),
      run("blk-dd-page-cache", "host", { "blk.seq_write_qd1": [500], "blk.seq_read_qd1": [4000], "blk.rand_read_qd1": [100_000] }),
    ],
  };
  r.fs = { method: "m", skipped: [], runs: [run("fs-microvm", "kvm", { "fs.seq_write": [10, 12], "fs.seq_read": [50, 50] }, { machine: "microvm", detail: "fat32" })] };
  r.http = {
    method: "m",
    skipped: [{ id: "h", label: "Toro echo", reason: "not available yet: apps/echo does not exist" }],
    runs: [
      run("toro-hello", "kvm", { "http.hello.req_s": [1000], "http.hello.errors": [0], "http.hello.latency_ms": [8] }),
      run("node-hello", "host", { "http.hello.req_s": [20_000], "http.hello.errors": [2] }),
      run("toro-static", "kvm", { "http.file-1m.req_s": [4], "http.file-1m.mb_s": [4.2] }),
      run("node-static", "host", { "http.file-1m.req_s": [1000], "http.file-1m.mb_s": [1048.6] }),
    ],
  };
  return r;
}

describe("blkTable", () => {
  it("lists each target, then the guest divided by each dd row, column by column", () => {
    const t = blkTable(withIo())!;
    expect(t.rows.map((row) => row[0])).toEqual(["toro-microvm", "blk-dd-direct", "blk-dd-page-cache", "  microvm ÷ dd O_DIRECT", "  microvm ÷ dd page cache"]);
    expect(t.rows[0]![1]).toBe("KVM (PVM)");
    expect(t.rows[0]![2]).toBe("100.0 [90.0–110.0]");
    expect(t.rows[1]![4]).toBe("—"); // dd has no QD8 figure
    expect(t.rows[3]!.slice(2, 5)).toEqual(["×0.10", "×0.25", ""]);
    expect(t.rows[4]![6]).toBe("×0.010");
    expect(t.notes.some((n) => n.includes("python3 reader failed"))).toBe(true);
  });
});

describe("fsTable", () => {
  it("divides FAT figures by the raw blk QD1 figures of the same machine type", () => {
    const t = fsTable(withIo())!;
    expect(t.rows).toEqual([["fs-microvm", "KVM (PVM)", "2", "11.0 [10.0–12.0]", "50.0 [50.0–50.0]", "×0.11", "×0.25", "fat32"]]);
    const noBlk = withIo();
    delete noBlk.blk;
    expect(fsTable(noBlk)!.rows[0]![5]).toBe("—");
  });
});

describe("httpTable", () => {
  it("pairs each Toro row with Node on the host and lists what was not measured", () => {
    const t = httpTable(withIo())!;
    expect(t.rows.map((row) => [row[0], row[1], row[2], row[8]])).toEqual([
      ["HTTP hello (small body)", "node-hello", "loopback", ""],
      ["HTTP hello (small body)", "toro-hello", "slirp", "×0.050"],
      ["HTTP static file, 1 MiB", "node-static", "loopback", ""],
      ["HTTP static file, 1 MiB", "toro-static", "slirp", "×0.0040"],
    ]);
    expect(t.rows[1]![3]).toBe("KVM (PVM)");
    expect(t.rows[0]![7]).toBe("2");
    expect(t.rows[3]![5]).toBe("4.20");
    expect(t.notes.join("\n")).toContain("slirp");
    expect(t.notes.join("\n")).toContain("not available yet: apps/echo does not exist");
  });
  it("orders Node (loopback), tap, slirp per workload, with ratios to Node and tap ÷ slirp", () => {
    const r = withIo();
    r.http = {
      method: "m",
      skipped: [],
      runs: [
        run("toro-echo-slirp", "kvm", { "tcp.echo.mb_s": [5] }, { network: "slirp" }),
        run("toro-echo-tap", "kvm", { "tcp.echo.mb_s": [40, 30, 50] }, { network: "tap" }),
        run("node-echo", "host", { "tcp.echo.mb_s": [400] }, { network: "loopback" }),
        run("toro-hello-tap", "kvm", { "http.hello.req_s": [3000] }, { network: "tap" }),
        run("node-hello", "host", { "http.hello.req_s": [30_000] }),
        run("toro-hello-slirp", "kvm", { "http.hello.req_s": [1000] }),
      ],
    };
    const t = httpTable(r)!;
    expect(t.headers.slice(-2)).toEqual(["÷ Node (loopback)", "tap ÷ slirp"]);
    expect(t.rows.map((row) => [row[1], row[2], row[3], row[8], row[9]])).toEqual([
      ["node-hello", "loopback", "host (no VM)", "", ""],
      ["toro-hello-tap", "tap", "KVM (PVM)", "×0.10", "×3.00"],
      ["toro-hello-slirp", "slirp", "KVM (PVM)", "×0.033", ""],
      ["node-echo", "loopback", "host (no VM)", "", ""],
      ["toro-echo-tap", "tap", "KVM (PVM)", "×0.10", "×8.00"],
      ["toro-echo-slirp", "slirp", "KVM (PVM)", "×0.013", ""],
    ]);
    expect(t.rows[4]![5]).toBe("40.0 [30.0–50.0]");
  });
  it("shows a \"not available yet\" tap row per workload when the tap path was skipped", () => {
    const r = withIo();
    r.http!.skipped.push({ id: "http-tap", label: "Toro guests on a tap in a network namespace", reason: "not available yet: no /dev/net/tun" });
    const t = httpTable(r)!;
    expect(t.rows.filter((row) => row[4] === "not available yet").map((row) => [row[0], row[2]])).toEqual([
      ["HTTP hello (small body)", "tap"],
      ["HTTP static file, 1 MiB", "tap"],
    ]);
    expect(t.notes.join("\n")).toContain("not available yet: no /dev/net/tun");
  });
  it("is absent when the case did not run, and part of allTables when it did", () => {
    const none = sampleResults();
    delete none.http;
    expect(httpTable(none)).toBeNull();
    expect(allTables(withIo()).map((t) => t.title.split(" ")[0])).toEqual(expect.arrayContaining(["HTTP", "virtio-blk", "FAT32"]));
  });
});

describe("httpNetwork", () => {
  it("falls back to loopback for the host and slirp for a VM in older results", () => {
    expect(httpNetwork(run("a", "host", {}))).toBe("loopback");
    expect(httpNetwork(run("b", "kvm", {}))).toBe("slirp");
    expect(httpNetwork(run("c", "kvm", {}, { network: "tap" }))).toBe("tap");
  });
});

describe("wrkArgs", () => {
  it("uses fixed threads, connections and duration, and a long per-request timeout", () => {
    expect(wrkArgs("http://127.0.0.1:1/", { threads: 1, connections: 8, seconds: 5 })).toEqual(["-t1", "-c8", "-d5s", "--timeout", "10s", "http://127.0.0.1:1/"]);
  });
});
