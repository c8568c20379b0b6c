// Bench harness (@toro/bench), pure: parses the `BENCH` lines the in-guest workloads (and the Node
// baseline of the yield case) print — `BENCH <metric>=<value> unit=<unit> [key=value ...]`, one
// sample per line, `BENCH done` at the end, `BENCH error: …` on failure. No I/O, no imports.

/** The samples of one metric, in the order printed. */
export interface MetricSamples {
  unit: string;
  samples: number[];
}

/** What one workload printed. */
export interface BenchOutput {
  /** Metric name -> its samples. */
  metrics: Record<string, MetricSamples>;
  /** Whether `BENCH done` appeared. */
  done: boolean;
  /** The text after `BENCH error:`, if the workload reported one. */
  error?: string;
}

const LINE = /^BENCH ([A-Za-z0-9_.-]+)=(-?[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?) unit=([^\s]+)/;

/**
 * Collects every `BENCH` line of a console transcript. Lines that are not `BENCH` lines, and
 * malformed ones, are ignored; a metric printed with two different units keeps the first.
 *
 * @param output - the guest's (or node's) whole stdout
 * @returns metrics with their samples, and whether the workload finished
 */
export function parseBenchOutput(output: string): BenchOutput {
  const metrics: Record<string, MetricSamples> = Object.create(null) as Record<string, MetricSamples>;
  let done = false;
  let error: string | undefined;
  for (const raw of output.split("\n")) {
    const line = raw.replace(/\r$/, "").trim();
    if (!line.startsWith("BENCH ")) continue;
    if (line === "BENCH done") {
      done = true;
      continue;
    }
    if (line.startsWith("BENCH error:")) {
      error ??= line.slice("BENCH error:".length).trim();
      continue;
    }
    const m = LINE.exec(line);
    if (m === null) continue;
    const [, name, value, unit] = m as unknown as [string, string, string, string];
    const v = Number(value);
    if (!Number.isFinite(v)) continue;
    const entry = metrics[name];
    if (entry === undefined) metrics[name] = { unit, samples: [v] };
    else if (entry.unit === unit) entry.samples.push(v);
  }
  return error === undefined ? { metrics, done } : { metrics, done, error };
}
