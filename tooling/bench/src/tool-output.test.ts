// Unit tests of the pure parsers of wrk, dd and fs-bench output (captured text, no processes).
import { describe, expect, it } from "vitest";
import { parseDdOutput, parseFsBenchOutput, parseWrkOutput, type WrkSummary } from "./tool-output.js";

const WRK = `Running 5s test @ http://127.0.0.1:18099/
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   530.98us  846.88us  13.28ms   92.37%
    Req/Sec    22.39k     8.39k   32.40k    70.00%
  111233 requests in 5.00s, 13.71MB read
  Socket errors: connect 0, read 2, write 0, timeout 8
  Non-2xx or 3xx responses: 5
Requests/sec:  22187.43
Transfer/sec:      2.71MB
`;

describe("parseWrkOutput", () => {
  it("reads requests/s, totals, errors and mean latency", () => {
    const s = parseWrkOutput(WRK) as WrkSummary;
    expect(s.requestsPerSecond).toBe(22187.43);
    expect(s.requests).toBe(111233);
    expect(s.durationSeconds).toBe(5);
    expect(s.non2xx).toBe(5);
    expect(s.socketErrors).toBe(10);
    expect(s.latencyMeanMs).toBeCloseTo(0.53098);
  });
  it("counts no errors when wrk printed none, and converts ms durations", () => {
    const s = parseWrkOutput("  10 requests in 900.5ms, 1KB read\nRequests/sec: 11.10\n") as WrkSummary;
    expect(s.durationSeconds).toBeCloseTo(0.9005);
    expect(s.non2xx).toBe(0);
    expect(s.socketErrors).toBe(0);
    expect(s.latencyMeanMs).toBeUndefined();
  });
  it("returns an Error when there is no summary", () => {
    expect(parseWrkOutput("unable to connect to 127.0.0.1:1 Connection refused")).toBeInstanceOf(Error);
  });
});

describe("parseDdOutput", () => {
  it("computes MB/s from bytes and seconds", () => {
    const s = parseDdOutput("64+0 records in\n64+0 records out\n16777216 bytes (17 MB, 16 MiB) copied, 0.0159906 s, 1.0 GB/s\n");
    expect(s).not.toBeInstanceOf(Error);
    if (s instanceof Error) return;
    expect(s.bytes).toBe(16777216);
    expect(s.mbPerSecond).toBeCloseTo(16.777216 / 0.0159906);
  });
  it("accepts a decimal comma and rejects a missing line", () => {
    const s = parseDdOutput("1000000 bytes (1,0 MB, 977 KiB) copied, 0,5 s, 2,0 MB/s");
    expect(s instanceof Error ? s.message : s.mbPerSecond).toBe(2);
    expect(parseDdOutput("dd: failed to open 'x': No such file or directory")).toBeInstanceOf(Error);
  });
});

describe("parseFsBenchOutput", () => {
  it("reads the throughput line among others", () => {
    const out = "boot...\nfs-bench: seq-write 12.5 MB/s, seq-read 40.0 MB/s (fat32, 32 MiB file, 256 KiB requests, 64 MiB disk)\nfs-bench: stat ...\n";
    expect(parseFsBenchOutput(out)).toEqual({ writeMBs: 12.5, readMBs: 40, detail: "fat32, 32 MiB file, 256 KiB requests, 64 MiB disk" });
  });
  it("turns a FAIL line or silence into an Error", () => {
    const fail = parseFsBenchOutput("fs-bench: FAIL no disk\n");
    expect(fail).toBeInstanceOf(Error);
    expect((fail as Error).message).toBe("fs-bench: FAIL no disk");
    expect(parseFsBenchOutput("nothing")).toBeInstanceOf(Error);
  });
});
