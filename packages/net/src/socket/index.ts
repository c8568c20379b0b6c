// Socket layer (@toro/net): re-exports.
export { createStack, NetStack, type StackOptions } from "./stack.js";
export { Server, Socket } from "./tcp-socket.js";
export { UdpSocket, type RemoteInfo, type SocketAddress } from "./udp-socket.js";
export { Emitter } from "./emitter.js";
export { globalScheduler, type Scheduler } from "./driver.js";
