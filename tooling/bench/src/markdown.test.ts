import { describe, expect, it } from "vitest";
import { renderMarkdownReport, renderMarkdownTable } from "./markdown.js";
import { sampleResults } from "./test-fixtures.js";

describe("renderMarkdownTable", () => {
  it("escapes pipes, aligns numbers right and keeps indentation", () => {
    const md = renderMarkdownTable({ title: "T", headers: ["a|b", "n"], align: ["l", "r"], rows: [["  sub", "1"]], notes: ["n1"] });
    expect(md).toContain("| a\\|b | n |");
    expect(md).toContain("|:---|---:|");
    expect(md).toContain("| \u00a0\u00a0\u00a0\u00a0sub | 1 |");
    expect(md).toContain("- n1");
  });
});

describe("renderMarkdownReport", () => {
  const md = renderMarkdownReport(sampleResults(), "benchmarks/boot-times.svg");
  it("describes the machine and the date", () => {
    expect(md).toContain("2026-01-02T03:04:05.000Z");
    expect(md).toContain("| CPU | AMD EPYC |");
    expect(md).toContain("QEMU emulator version 7.2.22");
    expect(md).toContain("KVM (PVM, nested");
    expect(md).toContain("quick");
  });
  it("embeds the picture and every table", () => {
    expect(md).toContain("![boot-time distributions](benchmarks/boot-times.svg)");
    for (const title of ["Boot time", "Image size", "Memory floor", "Idle cost", "HTTP and TCP throughput"]) expect(md).toContain(`### ${title}`);
    expect(md).toContain("not available yet: apps/echo does not exist");
  });
});
