// Bench harness (@toro/bench), pure search: the smallest integer for which an async predicate
// holds, by bisection between a failing and a passing bound. It knows nothing about QEMU: the
// memory-floor case passes a predicate that boots a VM. No imports.

/** One probe the search made, in order. */
export interface Probe {
  value: number;
  ok: boolean;
}

/** The result of {@link findFloor}. */
export interface FloorResult {
  /** The smallest passing value found, or null when even `high` failed. */
  floor: number | null;
  probes: Probe[];
}

/**
 * Finds the smallest value in `[low, high]` for which `passes` holds, assuming it is monotonic
 * (fails below some floor, passes from it on). Checks `high` first (if it fails there is no
 * floor) and `low` (if it passes, `low` is the floor), then bisects: about log2(high - low) probes.
 */
export async function findFloor(low: number, high: number, passes: (value: number) => Promise<boolean>): Promise<FloorResult> {
  if (!Number.isInteger(low) || !Number.isInteger(high) || low > high) {
    throw new RangeError(`findFloor: need integers low <= high, got ${low}, ${high}`);
  }
  const probes: Probe[] = [];
  const probe = async (value: number): Promise<boolean> => {
    const ok = await passes(value);
    probes.push({ value, ok });
    return ok;
  };
  if (!(await probe(high))) return { floor: null, probes };
  if (low === high || (await probe(low))) return { floor: low, probes };
  // Invariant: `bad` fails, `good` passes.
  let bad = low;
  let good = high;
  while (good - bad > 1) {
    const mid = bad + Math.floor((good - bad) / 2);
    if (await probe(mid)) good = mid;
    else bad = mid;
  }
  return { floor: good, probes };
}
