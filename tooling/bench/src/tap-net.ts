// Bench harness (@toro/bench), pure: the naming, addressing and command lines of the http case's tap
// path — a network namespace the bench creates, holding a tap device with the host side's address;
// QEMU, wrk and the Node client run inside it (`ip netns exec`), the guest has a static address on the
// tap. Also judges whether a tap can be had here, finds namespaces left by bench runs that died, and
// parses the one line the in-namespace Node client (src/net-client.ts) prints. No I/O; unit-tested.

/** The namespace's subnet: the tap's (Linux's) address, the guest's static address, the prefix. */
export const TAP_NET = { host: "10.9.89.1", guest: "10.9.89.2", prefix: 24 } as const;

/** Every namespace this bench creates starts so; `toro-bench-<pid>-<nonce>`. */
export const NETNS_PREFIX = "toro-bench-";

/** Linux's IFNAMSIZ less the terminating NUL. */
const MAX_IFNAME = 15;

/** A namespace name unique to this process (and a nonce), and a tap name that fits IFNAMSIZ. */
export function tapNames(pid: number, nonce: string): { ns: string; tap: string } {
  if (!/^[0-9a-z]{1,8}$/.test(nonce)) throw new Error(`tapNames: nonce must be 1-8 of [0-9a-z], got ${JSON.stringify(nonce)}`);
  const tap = `tbtap${nonce}`.slice(0, MAX_IFNAME);
  return { ns: `${NETNS_PREFIX}${pid}-${nonce}`, tap };
}

/**
 * Namespaces in `ip netns list` output that an earlier bench run created and that its process no
 * longer owns (it was SIGKILLed before it could delete them). Lines look like `name` or `name (id: 3)`.
 */
export function staleBenchNamespaces(ipNetnsList: string, isAlive: (pid: number) => boolean): string[] {
  const stale: string[] = [];
  for (const line of ipNetnsList.split("\n")) {
    const name = line.trim().split(/\s+/)[0] ?? "";
    const m = /^toro-bench-([0-9]+)-[0-9a-z]+$/.exec(name);
    if (m !== null && !isAlive(Number(m[1]))) stale.push(name);
  }
  return stale;
}

/** Whether `ip netns list` output names `ns`. */
export function netnsListed(ipNetnsList: string, ns: string): boolean {
  return ipNetnsList.split("\n").some((line) => line.trim().split(/\s+/)[0] === ns);
}

/** Why a tap in a namespace cannot be had here, or null when it can be tried. */
export function tapUnavailableReason(o: { uid: number | undefined; hasTun: boolean; hasIp: boolean }): string | null {
  if (o.uid !== 0) return `not root (uid ${o.uid ?? "unknown"}): creating a network namespace and a tap needs CAP_NET_ADMIN`;
  if (!o.hasTun) return "no /dev/net/tun";
  if (!o.hasIp) return "the ip tool (iproute2) is not installed";
  return null;
}

/** The commands (run in order) that give namespace `ns` a tap `tap` holding TAP_NET.host, and lo. */
export function tapSetupCommands(ns: string, tap: string): string[][] {
  return [
    ["ip", "netns", "add", ns],
    ["ip", "-n", ns, "tuntap", "add", "dev", tap, "mode", "tap"],
    ["ip", "-n", ns, "addr", "add", `${TAP_NET.host}/${TAP_NET.prefix}`, "dev", tap],
    ["ip", "-n", ns, "link", "set", tap, "up"],
    ["ip", "-n", ns, "link", "set", "lo", "up"],
  ];
}

/** `command args` run inside namespace `ns` (`ip netns exec` execs it: the pid is the command's). */
export function inNetns(ns: string, command: string, args: string[]): { command: string; args: string[] } {
  return { command: "ip", args: ["netns", "exec", ns, command, ...args] };
}

/** QEMU arguments for a virtio-net NIC on the tap (microvm: virtio-mmio), no helper scripts. */
export function tapQemuArgs(tap: string): string[] {
  return ["-netdev", `tap,id=net0,ifname=${tap},script=no,downscript=no`, "-device", "virtio-net-device,netdev=net0"];
}

/** The boot options giving hello-http, echo and static-web-server the static TAP_NET.guest address. */
export function tapGuestCmdline(): string {
  return `ip=${TAP_NET.guest} gw=${TAP_NET.host} prefix=${TAP_NET.prefix}`;
}

/** What the in-namespace Node client reported. */
export type NetClientResult = { kind: "get"; status: number; bytes: number } | { kind: "echo"; mbPerSecond: number; seconds: number };

/**
 * Parses the `net-client: …` line of src/net-client.ts: `net-client: get status=200 bytes=1024`,
 * `net-client: echo mb_s=12.5 seconds=2.68`, or `net-client: error <message>`.
 */
export function parseNetClientOutput(output: string): NetClientResult | Error {
  const error = /^net-client: error (.*)$/m.exec(output);
  if (error !== null) return new Error(error[1]!.trim());
  const get = /^net-client: get status=([0-9]+) bytes=([0-9]+)$/m.exec(output);
  if (get !== null) return { kind: "get", status: Number(get[1]), bytes: Number(get[2]) };
  const echo = /^net-client: echo mb_s=([0-9.e+-]+) seconds=([0-9.e+-]+)$/m.exec(output);
  if (echo !== null && Number.isFinite(Number(echo[1])) && Number.isFinite(Number(echo[2]))) {
    return { kind: "echo", mbPerSecond: Number(echo[1]), seconds: Number(echo[2]) };
  }
  return new Error(`no net-client line in: ${output.trim().split("\n").slice(-2).join(" | ").slice(0, 200) || "(no output)"}`);
}
