// Public entry of @toro/http: an HTTP/1.1 server with fetch-style handlers over any byte stream.
// Re-exports only; importing it has no side effects. Never imports a driver or @toro/net.
export { createServer, HttpServer, type ServerOptions } from "./server.js";
export type { Handler, Timers } from "./connection.js";
export { Request, type RequestInit } from "./request.js";
export { Response, type ResponseBody, type ResponseInit } from "./response.js";
export { Headers, type HeadersInit } from "./headers.js";
export { defaultLimits, type HttpLimits } from "./limits.js";
export { fromServer, fromSocket, type ByteStream, type ServerLike, type SocketLike, type StreamListener } from "./transport.js";
export { parseRequestHead, type HeadParse, type RequestHead } from "./request-head.js";
export { requestFraming, type BodyFraming, type Framing } from "./framing.js";
export { parseChunkSize } from "./chunked.js";
export { formatHttpDate, parseHttpDate } from "./http-date.js";
export { reasonPhrase } from "./status.js";
