// Runtime layer (runs inside the image): the text printed for a fatal error — an exception nobody
// caught or a rejection nobody handled — before the kernel exits with status 1. Pure; imports
// only inspect.ts.
import { inspect } from "./inspect.js";

/**
 * Formats a fatal error. The format (documented in the package README):
 * - uncaught exception: `Uncaught ` + the value as `inspect` prints it — for an Error that is
 *   `Error: message` and its stack lines (`    at fn (main.js:12)`), then any extra properties;
 * - unhandled rejection: `Uncaught (in promise) ` + the same; when the reason is not an Error
 *   (so there is no stack), a second line says where such a value comes from.
 *
 * @returns the text, ending with a newline
 */
export function formatFatalError(error: unknown, kind: "uncaughtException" | "unhandledRejection"): string {
  let text: string;
  try {
    text = inspect(error);
  } catch {
    text = safeString(error);
  }
  if (kind === "uncaughtException") return `Uncaught ${text}\n`;
  const isError = error instanceof Error;
  return (
    `Uncaught (in promise) ${text}\n` +
    (isError ? "" : "(a promise was rejected with this non-Error value and no .catch() handled it; reject with an Error to get a stack trace)\n")
  );
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return "[value that cannot be printed]";
  }
}
