// Process layer: spawning a thread on another core. A function cannot cross cores (each core runs
// its own copy of the program in its own engine), so the target runs an *entry* registered by name
// (the same table on every core, built at module load), with JSON arguments, and its result comes
// back as a message. Runs over one pair of cross-core channels per peer. Imports the scheduler, the
// channel ends and the error base; no Node APIs.
import { ToroError } from "@toro/kernel";
import type { CrossCoreReceiver, CrossCoreSender } from "./cross-core-channel.js";
import type { Scheduler } from "./scheduler.js";

/** Entry points by name: the same object on every core (define it at module top level). */
export type Entries = Record<string, (...args: any[]) => unknown>;

/** The messages CoreRpc exchanges. */
export type RpcMessage =
  | {
      /** A spawn request. */
      t: "spawn";
      /** Request id, unique per sending core. */
      id: number;
      /** Entry name. */
      entry: string;
      /** JSON arguments. */
      args: unknown[];
      /** Name of the remote thread. */
      name: string;
    }
  | {
      /** A result. */
      t: "result";
      /** The request it answers. */
      id: number;
      /** Success. */
      ok: true;
      /** The entry's return value. */
      value: unknown;
    }
  | {
      /** A result. */
      t: "result";
      /** The request it answers. */
      id: number;
      /** Failure. */
      ok: false;
      /** The error code (`ToroError.code`, or "EREMOTE"). */
      code: string;
      /** The error message. */
      message: string;
    };

/** The two channel ends this core has toward one peer core. */
export interface CoreLink {
  /** This core -> peer. */
  sender: CrossCoreSender<RpcMessage>;
  /** Peer -> this core. */
  receiver: CrossCoreReceiver<RpcMessage>;
}

/** A thread started on another core. */
export interface RemoteThread<T> {
  /** The core it runs on. */
  core: number;
  /** The entry it runs. */
  entry: string;
  /** Waits for its result from a thread (giving the core up meanwhile). */
  join(): Promise<T>;
  /** Its result as a plain promise, for code outside threads. */
  done: Promise<T>;
}

/** How to create a core's RPC endpoint. */
export interface CoreRpcOptions {
  /** This core's scheduler. */
  scheduler: Scheduler;
  /** The entry table (same on every core). */
  entries: Entries;
  /** One link per peer core, by core id. */
  links: ReadonlyMap<number, CoreLink>;
}

/**
 * Cross-core spawn for one core; see the file comment. Call `start()` once on every core.
 *
 * @example
 * ```ts
 * const entries = { square: (n: number) => n * n };
 * const rpc = new CoreRpc({ scheduler, entries, links });
 * rpc.start();
 * const nine = await rpc.spawn<number>(1, "square", [3]).join();
 * ```
 */
export class CoreRpc {
  private readonly o: CoreRpcOptions;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  private nextId = 1;
  private started = false;

  /**
   * Creates the endpoint (nothing runs until `start()`).
   *
   * @param options - scheduler, entries, links to peers
   * @returns the endpoint
   * @example
   * ```ts
   * const rpc = new CoreRpc({ scheduler, entries, links });
   * ```
   */
  constructor(options: CoreRpcOptions) {
    this.o = options;
  }

  /**
   * Starts one listener thread per peer (`rpc<-N`): it runs spawn requests and settles results.
   *
   * @returns nothing
   * @example
   * ```ts
   * rpc.start();
   * ```
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const [peer, link] of this.o.links) {
      this.o.scheduler.spawn(() => this.listen(peer, link), { name: `rpc<-${peer}` });
    }
  }

  /**
   * Runs entry `entry` with `args` in a new thread on core `core`.
   *
   * @param core - the target core
   * @param entry - a name in the entry table
   * @param args - JSON-serializable arguments
   * @param name - the remote thread's name; default the entry name
   * @returns a handle whose `join()` gives the entry's result
   * @throws ToroError `ENOENT` when there is no link to `core` (join rejects with the remote's error).
   * @example
   * ```ts
   * const t = rpc.spawn<string>(2, "hello", ["world"]);
   * console.log(await t.join());
   * ```
   */
  spawn<T>(core: number, entry: string, args: unknown[] = [], name = entry): RemoteThread<T> {
    const link = this.o.links.get(core);
    if (link === undefined) {
      throw new ToroError("ENOENT", `no channel to core ${core}`, { hint: "build a CoreLink for every peer core" });
    }
    const id = this.nextId++;
    const result = new Promise<T>((resolve, reject) => this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
    // Never an unhandled rejection if nobody joins: the error stays available to join().
    result.catch(() => undefined);
    const sent = link.sender.trySend({ t: "spawn", id, entry, args, name });
    const delivered = sent ? Promise.resolve() : this.sendFromThread(link, { t: "spawn", id, entry, args, name });
    const s = this.o.scheduler;
    return {
      core,
      entry,
      get done() {
        return delivered.then(() => result);
      },
      join: () => {
        const all = delivered.then(() => result);
        return s.current() !== undefined ? s.waitFor(all) : all;
      },
    };
  }

  /**
   * Call when this core's doorbell rang: wakes every waiting end.
   *
   * @returns nothing
   * @example
   * ```ts
   * onDoorbell(() => rpc.notify());
   * ```
   */
  notify(): void {
    for (const link of this.o.links.values()) {
      link.sender.notify();
      link.receiver.notify();
    }
  }

  private sendFromThread(link: CoreLink, message: RpcMessage): Promise<void> {
    // The ring is full: a helper thread waits for room, so spawn() itself never blocks.
    return this.o.scheduler.spawn(async () => void (await link.sender.send(message)), { name: "rpc-send" }).done;
  }

  private async listen(peer: number, link: CoreLink): Promise<void> {
    for (;;) {
      const r = await link.receiver.recv();
      if (!r.ok) continue;
      const m = r.value;
      if (m.t === "result") {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (p === undefined) continue;
        if (m.ok) p.resolve(m.value);
        else p.reject(new ToroError(m.code, `core ${peer}: ${m.message}`));
        continue;
      }
      const fn = this.o.entries[m.entry];
      if (fn === undefined) {
        await link.sender.send({ t: "result", id: m.id, ok: false, code: "ENOENT", message: `no entry named "${m.entry}"` });
        continue;
      }
      this.o.scheduler.spawn(
        async () => {
          let reply: RpcMessage;
          try {
            reply = { t: "result", id: m.id, ok: true, value: await fn(...m.args) };
          } catch (error) {
            const code = error instanceof ToroError ? error.code : "EREMOTE";
            reply = { t: "result", id: m.id, ok: false, code, message: error instanceof Error ? error.message : String(error) };
          }
          await link.sender.send(reply);
        },
        { name: m.name },
      );
    }
  }
}
