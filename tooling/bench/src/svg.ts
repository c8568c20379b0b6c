// Bench harness (@toro/bench), pure: an SVG strip chart of the boot-time distributions — one row
// per target, every sample as a dot, the median as a bar, the min–max as a line, on a log scale
// (Node on the host and Linux under TCG differ by orders of magnitude). Hand-written SVG; no I/O.
import { formatMs, runsOnLabel } from "./report-tables.js";
import { summarize } from "./stats.js";
import type { BootCaseResult } from "./results.js";

function escapeXml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

/** The decades (1, 10, 100 … ms) that cover [min, max]. */
export function logTicks(min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(Math.max(min, 1e-3)));
  const hi = Math.ceil(Math.log10(Math.max(max, min, 1e-3)));
  const ticks: number[] = [];
  for (let e = lo; e <= Math.max(hi, lo + 1); e++) ticks.push(10 ** e);
  return ticks;
}

/** The chart of time-to-first-line samples, as an SVG document. */
export function renderBootSvg(cases: BootCaseResult[], kvmKind: string): string {
  const rowHeight = 28;
  const left = 330;
  const right = 30;
  const width = 900;
  const top = 40;
  const plotWidth = width - left - right;
  const all = cases.flatMap((c) => c.firstLineMs);
  const ticks = all.length === 0 ? [1, 10] : logTicks(Math.min(...all), Math.max(...all));
  const lo = Math.log10(ticks[0]!);
  const hi = Math.log10(ticks[ticks.length - 1]!);
  const x = (ms: number): number => left + ((Math.log10(Math.max(ms, 1e-3)) - lo) / (hi - lo)) * plotWidth;
  const height = top + cases.length * rowHeight + 40;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${left}" y="20" font-size="14" font-weight="bold">Boot time to first console line (host wall ms, log scale)</text>`,
  ];
  for (const t of ticks) {
    const tx = x(t).toFixed(1);
    out.push(`<line x1="${tx}" y1="${top - 6}" x2="${tx}" y2="${top + cases.length * rowHeight}" stroke="#ddd"/>`);
    out.push(`<text x="${tx}" y="${top + cases.length * rowHeight + 16}" text-anchor="middle" fill="#555">${t >= 1 ? t.toFixed(0) : t} ms</text>`);
  }
  cases.forEach((c, i) => {
    const cy = top + i * rowHeight + rowHeight / 2;
    const s = summarize(c.firstLineMs);
    const colour = c.runsOn === "kvm" ? "#1f77b4" : c.runsOn === "tcg" ? "#d62728" : "#2ca02c";
    out.push(`<text x="${left - 8}" y="${cy + 4}" text-anchor="end">${escapeXml(`${c.label} [${runsOnLabel(c.runsOn, kvmKind)}]`)}</text>`);
    out.push(`<line x1="${x(s.min).toFixed(1)}" y1="${cy}" x2="${x(s.max).toFixed(1)}" y2="${cy}" stroke="${colour}" stroke-width="2"/>`);
    for (const v of c.firstLineMs) out.push(`<circle cx="${x(v).toFixed(1)}" cy="${cy}" r="3" fill="${colour}" fill-opacity="0.5"/>`);
    const mx = x(s.median).toFixed(1);
    out.push(`<line x1="${mx}" y1="${cy - 8}" x2="${mx}" y2="${cy + 8}" stroke="black" stroke-width="2"><title>median ${formatMs(s.median)} ms</title></line>`);
  });
  out.push(`<text x="${left}" y="${height - 6}" fill="#555">dots: runs; bar: median; line: min–max. Blue: KVM, red: TCG, green: host.</text>`);
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
