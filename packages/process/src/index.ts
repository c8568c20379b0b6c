// Public entry of @toro/process: one core's cooperative scheduler, its wait objects, and channels
// between cores over shared-memory rings. Re-exports only; no side effects. Layer: above
// @toro/kernel (errors); no Node APIs.
export { createManualClock, hostTimer, type Clock, type ManualClock, type Timer } from "./clock.js";
export { Scheduler, createScheduler, type SchedulerOptions, type SchedulerStats, type SpawnOptions } from "./scheduler.js";
export { Thread, type ThreadInfo, type ThreadState, type WakeReason } from "./thread.js";
export { WaitQueue } from "./wait-queue.js";
export { Event } from "./event.js";
export { Mutex, Semaphore } from "./semaphore.js";
export { Channel, type RecvResult, type SendResult } from "./channel.js";
export { SpscRing, ringBytes } from "./spsc-ring.js";
export {
  CrossCoreReceiver,
  CrossCoreSender,
  jsonCodec,
  type Codec,
  type CrossCoreEndOptions,
  type Doorbell,
} from "./cross-core-channel.js";
export { CoreRpc, type CoreLink, type CoreRpcOptions, type Entries, type RemoteThread, type RpcMessage } from "./core-rpc.js";
export { coreLinks, coreLinksBytes, type CoreLinksOptions } from "./core-links.js";
export {
  bootCores,
  sharedLayoutBytes,
  type BootCoresOptions,
  type CoreMemoryHooks,
  type CoreNode,
  type CoreNodeStats,
} from "./boot-cores.js";
