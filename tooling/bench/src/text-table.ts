// Bench harness (@toro/bench), pure: renders a table model as aligned plain text for the terminal.
// No I/O; imports only the table model type.
import type { TableModel } from "./report-tables.js";

/** Aligned columns, a rule under the headers, then the notes; no trailing newline. */
export function renderTextTable(table: TableModel): string {
  const all = [table.headers, ...table.rows];
  const widths = table.headers.map((_, col) => Math.max(...all.map((row) => [...(row[col] ?? "")].length)));
  const line = (row: string[]): string =>
    row
      .map((cell, col) => (table.align[col] === "r" ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!)))
      .join("  ")
      .trimEnd();
  return [
    table.title,
    line(table.headers),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...table.rows.map(line),
    ...table.notes.map((n) => `  * ${n}`),
  ].join("\n");
}
