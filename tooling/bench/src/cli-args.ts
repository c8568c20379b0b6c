// Bench harness (@toro/bench): parses `pnpm bench` arguments into options. Pure (node:util's
// parseArgs only), so every flag is unit-tested; it must not start anything.
import { parseArgs } from "node:util";

/** The cases `--only` can pick. */
export const CASE_NAMES = ["boot", "size", "memory", "idle", "blk", "fs", "http", "yield", "alloc", "cross-core", "cores"] as const;
/** One case name. */
export type CaseName = (typeof CASE_NAMES)[number];

/** What `pnpm bench` was asked to do. */
export interface BenchOptions {
  quick: boolean;
  /** The cases to run, in the order of {@link CASE_NAMES}. */
  cases: CaseName[];
  /** Timed runs per boot case (after one warm-up). */
  runs: number;
  /** Extra path to write the raw JSON to (docs/benchmarks/results.json is written too, unless --only). */
  jsonPath: string | undefined;
  /** Write docs/benchmarks.md, results.json and the SVG. */
  writeReport: boolean;
  /** Seconds the idle case watches the guest. */
  idleSeconds: number;
  /** Skip the Linux microVM baseline. */
  skipLinux: boolean;
  help: boolean;
}

export const USAGE = `usage: pnpm bench [--quick] [--only <case>[,<case>]] [--runs N] [--json FILE] [--no-report] [--no-linux]
  cases: ${CASE_NAMES.join(", ")}
         (also: boot-time, image-size, memory-floor, idle-cost, virtio-blk, fat, throughput, tcp, allocator, smp)
  --quick       3 timed runs per boot case instead of 10, fewer variants, 3 in-guest samples instead of 7,
                one 5 s wrk run per HTTP target instead of 3
  --only        run only these cases; the docs/ report is then left as it is
  --runs N      timed runs per boot case (after one warm-up)
  --json FILE   also write the raw results to FILE
  --no-report   do not write docs/benchmarks.md, docs/benchmarks/results.json and the SVG
  --no-linux    skip the Linux microVM baseline (it is built from Debian packages on first use)
  --idle-seconds N  how long the idle case watches the guest (default 10)`;

const ALIASES: Record<string, CaseName> = {
  "boot-time": "boot",
  "image-size": "size",
  "memory-floor": "memory",
  "idle-cost": "idle",
  "virtio-blk": "blk",
  fat: "fs",
  throughput: "http",
  tcp: "http",
  allocator: "alloc",
  smp: "cores",
};

/** Parses the arguments after `pnpm bench`; throws an Error with a readable message on bad input. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== "--"), // pnpm passes a bare "--" through on some paths
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string", multiple: true },
      runs: { type: "string" },
      json: { type: "string" },
      "no-report": { type: "boolean", default: false },
      "no-linux": { type: "boolean", default: false },
      "idle-seconds": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    allowPositionals: false,
    strict: true,
  });
  const quick = values.quick === true;
  let cases: CaseName[] = [...CASE_NAMES];
  const only = values.only;
  if (only !== undefined) {
    const wanted = new Set<CaseName>();
    for (const name of only.flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "")) {
      const resolved = (CASE_NAMES as readonly string[]).includes(name) ? (name as CaseName) : ALIASES[name];
      if (resolved === undefined) throw new Error(`unknown case "${name}"; cases: ${CASE_NAMES.join(", ")}`);
      wanted.add(resolved);
    }
    if (wanted.size === 0) throw new Error("--only needs a case name");
    cases = CASE_NAMES.filter((c) => wanted.has(c));
  }
  const runs = positiveInt("--runs", values.runs, quick ? 3 : 10);
  const idleSeconds = positiveInt("--idle-seconds", values["idle-seconds"], 10);
  return {
    quick,
    cases,
    runs,
    jsonPath: values.json,
    writeReport: values["no-report"] !== true && only === undefined,
    idleSeconds,
    skipLinux: values["no-linux"] === true,
    help: values.help === true,
  };
}

function positiveInt(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new Error(`${flag} must be an integer from 1 to 1000, got "${raw}"`);
  return n;
}
