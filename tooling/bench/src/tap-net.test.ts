// Unit tests of the tap path's pure helpers: names, stale-namespace detection, availability,
// command lines, and the in-namespace client's output line.
import { describe, expect, it } from "vitest";
import {
  inNetns,
  netnsListed,
  parseNetClientOutput,
  staleBenchNamespaces,
  TAP_NET,
  tapGuestCmdline,
  tapNames,
  tapQemuArgs,
  tapSetupCommands,
  tapUnavailableReason,
} from "./tap-net.js";

describe("tapNames", () => {
  it("names the namespace by pid and nonce, and keeps the tap within IFNAMSIZ", () => {
    expect(tapNames(4242, "a1b2c3")).toEqual({ ns: "toro-bench-4242-a1b2c3", tap: "tbtapa1b2c3" });
    expect(tapNames(1, "zzzzzzzz").tap.length).toBeLessThanOrEqual(15);
  });
  it("rejects nonces that would not make safe names", () => {
    expect(() => tapNames(1, "")).toThrow(/nonce/);
    expect(() => tapNames(1, "a b")).toThrow(/nonce/);
    expect(() => tapNames(1, "123456789")).toThrow(/nonce/);
  });
});

describe("staleBenchNamespaces / netnsListed", () => {
  const list = "toro-bench-100-abc (id: 2)\ntoro-bench-200-def\ntoro-tap-300\nother\ntoro-bench-x-1\n\n";
  it("finds only bench namespaces whose process is gone", () => {
    expect(staleBenchNamespaces(list, (pid) => pid === 200)).toEqual(["toro-bench-100-abc"]);
    expect(staleBenchNamespaces(list, () => false)).toEqual(["toro-bench-100-abc", "toro-bench-200-def"]);
    expect(staleBenchNamespaces("", () => false)).toEqual([]);
  });
  it("matches whole names, with or without an id", () => {
    expect(netnsListed(list, "toro-bench-100-abc")).toBe(true);
    expect(netnsListed(list, "toro-bench-200-def")).toBe(true);
    expect(netnsListed(list, "toro-bench-100")).toBe(false);
    expect(netnsListed("", "x")).toBe(false);
  });
});

describe("tapUnavailableReason", () => {
  it("says why, or null when a tap can be tried", () => {
    expect(tapUnavailableReason({ uid: 1000, hasTun: true, hasIp: true })).toMatch(/^not root \(uid 1000\)/);
    expect(tapUnavailableReason({ uid: undefined, hasTun: true, hasIp: true })).toMatch(/^not root/);
    expect(tapUnavailableReason({ uid: 0, hasTun: false, hasIp: true })).toBe("no /dev/net/tun");
    expect(tapUnavailableReason({ uid: 0, hasTun: true, hasIp: false })).toMatch(/ip tool/);
    expect(tapUnavailableReason({ uid: 0, hasTun: true, hasIp: true })).toBeNull();
  });
});

describe("command lines", () => {
  it("builds the namespace, its tap with the host address, and lo", () => {
    expect(tapSetupCommands("ns1", "tap1")).toEqual([
      ["ip", "netns", "add", "ns1"],
      ["ip", "-n", "ns1", "tuntap", "add", "dev", "tap1", "mode", "tap"],
      ["ip", "-n", "ns1", "addr", "add", "10.9.89.1/24", "dev", "tap1"],
      ["ip", "-n", "ns1", "link", "set", "tap1", "up"],
      ["ip", "-n", "ns1", "link", "set", "lo", "up"],
    ]);
  });
  it("runs commands in the namespace, QEMU's NIC on the tap, the guest at a static address", () => {
    expect(inNetns("ns1", "wrk", ["-t1", "http://x/"])).toEqual({ command: "ip", args: ["netns", "exec", "ns1", "wrk", "-t1", "http://x/"] });
    expect(tapQemuArgs("tap1")).toEqual(["-netdev", "tap,id=net0,ifname=tap1,script=no,downscript=no", "-device", "virtio-net-device,netdev=net0"]);
    expect(tapGuestCmdline()).toBe(`ip=${TAP_NET.guest} gw=${TAP_NET.host} prefix=24`);
  });
});

describe("parseNetClientOutput", () => {
  it("reads get, echo and error lines", () => {
    expect(parseNetClientOutput("net-client: get status=200 bytes=1024\n")).toEqual({ kind: "get", status: 200, bytes: 1024 });
    expect(parseNetClientOutput("noise\nnet-client: echo mb_s=12.5 seconds=2.684354\n")).toEqual({ kind: "echo", mbPerSecond: 12.5, seconds: 2.684354 });
    expect(parseNetClientOutput("net-client: echo mb_s=1.2e+3 seconds=0.0268\n")).toEqual({ kind: "echo", mbPerSecond: 1200, seconds: 0.0268 });
    expect(String(parseNetClientOutput("net-client: error connect ECONNREFUSED 10.9.89.2:7\n"))).toBe("Error: connect ECONNREFUSED 10.9.89.2:7");
  });
  it("returns an Error when there is no line", () => {
    expect(parseNetClientOutput("")).toBeInstanceOf(Error);
    expect(String(parseNetClientOutput("Cannot find module x\n"))).toContain("Cannot find module x");
    expect(parseNetClientOutput("net-client: echo mb_s=abc seconds=1\n")).toBeInstanceOf(Error);
  });
});
