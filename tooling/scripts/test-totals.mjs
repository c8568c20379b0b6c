#!/usr/bin/env node
// Repo tooling: reads vitest's JSON report and prints ONE plain line "N passed, N failed".
// Exits 1 when any test failed or the report is missing or unreadable (a run that never wrote its
// report did not pass). Usage: node tooling/scripts/test-totals.mjs [.vitest-results.json]
import { readFileSync } from "node:fs";

const path = process.argv[2] ?? ".vitest-results.json";
let report;
try {
  report = JSON.parse(readFileSync(path, "utf8"));
} catch (err) {
  console.log("0 passed, 0 failed");
  console.error(`test-totals: cannot read ${path}: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
const passed = Number(report.numPassedTests ?? 0);
const failed = Number(report.numFailedTests ?? 0);
console.log(`${passed} passed, ${failed} failed`);
// A suite that failed to load (syntax error, missing import) has no failed *tests*; count it too.
const brokenSuites = Number(report.numFailedTestSuites ?? 0);
process.exit(failed > 0 || brokenSuites > 0 || report.success === false ? 1 : 0);
