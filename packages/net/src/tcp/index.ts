// TCP layer (@toro/net): re-exports. Imports only tcp/ files.
export * from "./seq.js";
export * from "./isn.js";
export * from "./rtt.js";
export { defaultTcpConfig, newTcb, windowShiftFor, type KeepaliveConfig, type Tcb, type TcpActions, type TcpConfig, type TcpEvent, type TcpOpen, type TcpState } from "./tcb.js";
export { resetFor, tcpAbort, tcpAccept, tcpClose, tcpConnect, tcpOutput, tcpRead, tcpWrite } from "./output.js";
export { tcpInput } from "./input.js";
export { tcpNextDeadline, tcpSetKeepalive, tcpTimers } from "./timers.js";
