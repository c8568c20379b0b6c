// Bench harness (@toro/bench), the edge that owns the http case's network namespace: checks a tap can
// be had (root, /dev/net/tun, ip), deletes namespaces that dead bench runs left behind, creates a
// uniquely named namespace holding a tap with TAP_NET.host, and always deletes it again — from the
// case's `finally`, and from a process "exit" hook for Ctrl-C / SIGTERM / fatal errors (cli.ts exits
// on those after killing every child). Deleting the namespace deletes the tap in it. Names and
// command lines come from tap-net.ts. Must not import the renderers or the cases.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { inNetns, netnsListed, staleBenchNamespaces, tapNames, tapSetupCommands, tapUnavailableReason } from "./tap-net.js";

/** A live namespace with its tap. */
export interface TapNamespace {
  ns: string;
  tap: string;
  /** `command args` run inside the namespace. */
  wrap(command: string, args: string[]): { command: string; args: string[] };
  /** Deletes the namespace (idempotent); returns an error text when it is still listed afterwards. */
  close(): string | null;
}

function ip(args: string[]): string {
  return execFileSync("ip", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 20_000 });
}

function hasIp(): boolean {
  try {
    ip(["-V"]);
    return true;
  } catch {
    return false;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === "EPERM";
  }
}

function firstLine(e: unknown): string {
  const stderr = (e as { stderr?: string }).stderr;
  return (typeof stderr === "string" && stderr.trim() !== "" ? stderr : String(e)).trim().split("\n")[0]!.slice(0, 200);
}

/** Deletes `ns` if it exists; returns an error text when it is still listed afterwards. */
function deleteNamespace(ns: string): string | null {
  try {
    ip(["netns", "del", ns]);
  } catch {
    /* not there (already deleted), or the check below says why */
  }
  try {
    return netnsListed(ip(["netns", "list"]), ns) ? `network namespace ${ns} is still listed after ip netns del` : null;
  } catch (e) {
    return `ip netns list failed: ${firstLine(e)}`;
  }
}

/**
 * Creates a fresh namespace with a tap holding TAP_NET.host.
 *
 * @returns the namespace, or the reason a tap cannot be had here
 */
export function createTapNamespace(): TapNamespace | { reason: string } {
  const why = tapUnavailableReason({ uid: process.getuid?.(), hasTun: existsSync("/dev/net/tun"), hasIp: hasIp() });
  if (why !== null) return { reason: why };
  try {
    for (const stale of staleBenchNamespaces(ip(["netns", "list"]), pidAlive)) deleteNamespace(stale);
  } catch {
    /* best effort */
  }
  const { ns, tap } = tapNames(process.pid, randomBytes(4).toString("hex").slice(0, 6));
  let closed = false;
  const close = (): string | null => {
    if (closed) return null;
    closed = true;
    process.removeListener("exit", close);
    return deleteNamespace(ns);
  };
  // Registered before `ip netns add`, so even a failure half-way leaves nothing behind.
  process.on("exit", close);
  try {
    for (const [command, ...args] of tapSetupCommands(ns, tap)) execFileSync(command!, args, { stdio: ["ignore", "pipe", "pipe"], timeout: 20_000 });
  } catch (e) {
    close();
    return { reason: `cannot build a network namespace with a tap device: ${firstLine(e)}` };
  }
  return { ns, tap, wrap: (command, args) => inNetns(ns, command, args), close };
}
