// Socket layer (@toro/net): a minimal Node-style event emitter (on/once/off/emit) — Node's `events`
// is not available in the image. Imports nothing.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- listener arguments are event-specific, as in Node.
type Listener = (...args: any[]) => void;

/**
 * A small event emitter with Node's method names.
 *
 * @example
 * ```ts
 * socket.on("data", (chunk) => console.log(chunk.length));
 * ```
 */
export class Emitter {
  private readonly listeners = new Map<string, Array<{ fn: Listener; once: boolean }>>();

  /**
   * Adds a listener.
   *
   * @param event - event name
   * @param fn - listener
   * @returns this
   * @example
   * ```ts
   * server.on("connection", (s) => s.end());
   * ```
   */
  on(event: string, fn: (...args: any[]) => void): this {
    const list = this.listeners.get(event) ?? [];
    list.push({ fn, once: false });
    this.listeners.set(event, list);
    return this;
  }

  /**
   * Adds a listener that runs once.
   *
   * @param event - event name
   * @param fn - listener
   * @returns this
   * @example
   * ```ts
   * socket.once("connect", () => socket.write("hi"));
   * ```
   */
  once(event: string, fn: (...args: any[]) => void): this {
    const list = this.listeners.get(event) ?? [];
    list.push({ fn, once: true });
    this.listeners.set(event, list);
    return this;
  }

  /**
   * Removes a listener.
   *
   * @param event - event name
   * @param fn - the listener given to `on`/`once`
   * @returns this
   * @example
   * ```ts
   * socket.off("data", onData);
   * ```
   */
  off(event: string, fn: (...args: any[]) => void): this {
    const list = this.listeners.get(event);
    if (list) {
      const i = list.findIndex((l) => l.fn === fn);
      if (i >= 0) list.splice(i, 1);
    }
    return this;
  }

  /**
   * Calls the listeners of an event.
   *
   * @param event - event name
   * @param args - arguments
   * @returns `true` when a listener ran
   * @example
   * ```ts
   * this.emit("data", chunk);
   * ```
   */
  emit(event: string, ...args: unknown[]): boolean {
    const list = this.listeners.get(event);
    if (!list || list.length === 0) return false;
    for (const l of [...list]) {
      if (l.once) this.off(event, l.fn);
      (l.fn as (...a: unknown[]) => void)(...args);
    }
    return true;
  }

  /**
   * Number of listeners of an event.
   *
   * @param event - event name
   * @returns the count
   * @example
   * ```ts
   * socket.listenerCount("error");
   * ```
   */
  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}
