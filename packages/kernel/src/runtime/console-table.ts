// Runtime layer (runs inside the image): the box-drawing table of `console.table`, as Node 20
// draws it (cells left-aligned, one space of padding). Pure; imports only inspect.ts.
import { inspect } from "./inspect.js";

/**
 * Renders `data` as Node's `console.table` does: an `(index)` column, one column per property of
 * the rows (or `properties`), and a `Values` column for primitive rows.
 *
 * @returns the table, without a final newline
 */
export function renderTable(data: object, properties?: readonly string[]): string {
  const columns: Record<string, string[]> = Object.create(null);
  const values: string[] = [];
  let hasPrimitives = false;
  const index = Object.keys(data);
  index.forEach((key, i) => {
    const item = (data as Record<string, unknown>)[key];
    const primitive = item === null || (typeof item !== "function" && typeof item !== "object");
    if (properties === undefined && primitive) {
      hasPrimitives = true;
      values[i] = cell(item);
      return;
    }
    for (const k of properties ?? Object.keys(item as object)) {
      const column = (columns[k] ??= []);
      column[i] = primitive || !Object.prototype.hasOwnProperty.call(item, k) ? "" : cell((item as Record<string, unknown>)[k]);
    }
  });
  const head = ["(index)", ...Object.keys(columns)];
  const body = [index, ...Object.values(columns)];
  if (hasPrimitives) {
    head.push("Values");
    body.push(values);
  }
  const widths = head.map((h) => h.length);
  const rowCount = Math.max(...body.map((c) => c.length));
  const rows: string[][] = [];
  for (let j = 0; j < rowCount; j++) {
    rows.push(
      body.map((column, i) => {
        const v = Object.prototype.hasOwnProperty.call(column, j) ? column[j]! : "";
        widths[i] = Math.max(widths[i]!, v.length);
        return v;
      }),
    );
  }
  const line = (l: string, m: string, r: string) => l + widths.map((w) => "─".repeat(w + 2)).join(m) + r;
  const render = (row: string[]) => `│ ${row.map((c, i) => c + " ".repeat(widths[i]! - c.length)).join(" │ ")} │`;
  return [line("┌", "┬", "┐"), render(head), line("├", "┼", "┤"), ...rows.map(render), line("└", "┴", "┘")].join("\n");
}

function cell(v: unknown): string {
  // Node shows small objects one level deep and larger ones as [Object], on one line.
  const depth = v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 2 ? -1 : 0;
  return inspect(v, { depth, maxArrayLength: 3, breakLength: Infinity });
}
