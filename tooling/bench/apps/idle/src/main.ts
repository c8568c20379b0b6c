// Bench app (tooling/bench/apps/idle): the idle guest of the "idle cost" case. It prints one line,
// then does nothing but wait on a timer far beyond the measurement window, so the host sees only
// what the kernel's halt-until-event loop costs. Imports only @toro/kernel.
import { exit } from "@toro/kernel";

const IDLE_MS = 10 * 60 * 1000; // far longer than any measurement; the bench kills the VM first

console.log("idle: ready");
setTimeout(() => exit(0), IDLE_MS);
