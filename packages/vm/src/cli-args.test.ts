import { describe, expect, it } from "vitest";
import { parseCliArgs } from "./cli-args.js";
import { RunImageError } from "./errors.js";

describe("parseCliArgs", () => {
  it("needs only the image", () => {
    expect(parseCliArgs(["dist/hello.img"])).toEqual({ kind: "run", quiet: false, options: { image: "dist/hello.img" } });
  });

  it("maps every option", () => {
    const command = parseCliArgs([
      "app.img", "--machine", "q35", "--accel", "tcg", "--memory", "1G", "--cpus", "2",
      "--append", "a=1 b", "--timeout", "30s", "--port", "8080:80", "--port", "udp:53:53",
      "--disk", "fat.img", "--quiet",
    ]);
    expect(command).toEqual({
      kind: "run",
      quiet: true,
      options: {
        image: "app.img",
        machine: "q35",
        accel: "tcg",
        memoryMiB: 1024,
        cpus: 2,
        cmdline: "a=1 b",
        timeoutMs: 30_000,
        ports: [{ protocol: "tcp", host: 8080, guest: 80 }, { protocol: "udp", host: 53, guest: 53 }],
        disks: [{ path: "fat.img" }],
      },
    });
  });

  it("answers --help and -h even without an image", () => {
    expect(parseCliArgs(["--help"])).toEqual({ kind: "help" });
    expect(parseCliArgs(["-h", "x.img"])).toEqual({ kind: "help" });
  });

  it("rejects usage mistakes with EINVAL", () => {
    const mistakes = [
      [],
      ["a.img", "b.img"],
      ["a.img", "--machine", "pc"],
      ["a.img", "--accel", "hvf"],
      ["a.img", "--cpus", "two"],
      ["a.img", "--cpus", "0"],
      ["a.img", "--timeout", "forever"],
      ["a.img", "--memory", "12K"],
      ["a.img", "--bogus"],
    ];
    for (const argv of mistakes) {
      expect(() => parseCliArgs(argv), argv.join(" ")).toThrow(RunImageError);
    }
  });
});
