// Bench app (tooling/bench/apps/blk): raw virtio-blk throughput over the whole attached disk, in the
// shapes the host's `dd` and a QD1 O_DIRECT reader can be compared with: sequential write (then one
// flush) and sequential read in 256 KiB requests with 1 and with 8 in flight, and 4 KiB reads at
// random sector-aligned offsets with 1 and with 32 in flight, each random pass ~1 s of guest time.
// Boot options: `samples=N` (default 3). Prints `BENCH blk.*` lines, then `BENCH done`, and exits 0.
// Imports @toro/kernel, @toro/devices and @toro/virtio-blk only.
import { discoverDevices, virtioDeviceType } from "@toro/devices";
import { bootCommandLine, deviceHardware, dmaAllocatorFor, exit, parseBootCommandLine } from "@toro/kernel";
import { virtioBlk } from "@toro/virtio-blk";

const VIRTIO_BLK = 2;
const SEQ_REQUEST = 256 * 1024;
const RANDOM_REQUEST = 4096;
const RANDOM_PASS_MS = 1000;

type Disk = Awaited<ReturnType<typeof virtioBlk>>;

/** Sequential pass over the whole disk with `depth` requests in flight; returns MB/s (10^6 bytes). */
async function sequential(disk: Disk, op: "read" | "write", depth: number): Promise<number> {
  const { sectorSize, sectorCount } = disk.info;
  const total = sectorSize * sectorCount;
  const buffers = Array.from({ length: depth }, (_, i) => new Uint8Array(SEQ_REQUEST).fill(0x41 + i));
  let next = 0;
  const start = performance.now();
  await Promise.all(
    buffers.map(async (buffer) => {
      while (next + SEQ_REQUEST <= total) {
        const at = next;
        next += SEQ_REQUEST;
        await (op === "read" ? disk.read(at / sectorSize, buffer) : disk.write(at / sectorSize, buffer));
      }
    }),
  );
  if (op === "write") await disk.flush();
  const bytes = Math.floor(total / SEQ_REQUEST) * SEQ_REQUEST;
  return bytes / 1e6 / ((performance.now() - start) / 1000);
}

/** 4 KiB reads at pseudo-random aligned offsets for ~1 s with `depth` in flight; returns IOPS. */
async function randomReads(disk: Disk, depth: number, seed: number): Promise<number> {
  const { sectorSize, sectorCount } = disk.info;
  const slots = Math.floor((sectorSize * sectorCount) / RANDOM_REQUEST);
  let state = seed >>> 0;
  const nextSlot = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state % slots;
  };
  let done = 0;
  const start = performance.now();
  const deadline = start + RANDOM_PASS_MS;
  await Promise.all(
    Array.from({ length: depth }, async () => {
      const buffer = new Uint8Array(RANDOM_REQUEST);
      while (performance.now() < deadline) {
        await disk.read((nextSlot() * RANDOM_REQUEST) / sectorSize, buffer);
        done++;
      }
    }),
  );
  return done / ((performance.now() - start) / 1000);
}

async function main(): Promise<void> {
  const options = parseBootCommandLine(bootCommandLine()).options;
  const samples = Number(options["samples"] ?? "3");
  const hw = deviceHardware();
  const found = discoverDevices(hw).find((d) => virtioDeviceType(d) === VIRTIO_BLK);
  if (found === undefined) {
    console.log("BENCH error: no virtio-blk disk attached");
    exit(2);
  }
  const disk = await virtioBlk(hw, found, { dma: dmaAllocatorFor(hw), maxQueueSize: 256 });
  const { sectorSize, sectorCount } = disk.info;
  console.log(`blk: ${sectorCount} sectors of ${sectorSize} bytes, flushable=${disk.info.flushable}`);
  for (let s = 0; s < samples; s++) {
    console.log(`BENCH blk.seq_write_qd1=${(await sequential(disk, "write", 1)).toFixed(2)} unit=MB/s`);
    console.log(`BENCH blk.seq_read_qd1=${(await sequential(disk, "read", 1)).toFixed(2)} unit=MB/s`);
    console.log(`BENCH blk.seq_write_qd8=${(await sequential(disk, "write", 8)).toFixed(2)} unit=MB/s`);
    console.log(`BENCH blk.seq_read_qd8=${(await sequential(disk, "read", 8)).toFixed(2)} unit=MB/s`);
    console.log(`BENCH blk.rand_read_qd1=${(await randomReads(disk, 1, 1000 + s)).toFixed(0)} unit=IOPS`);
    console.log(`BENCH blk.rand_read_qd32=${(await randomReads(disk, 32, 2000 + s)).toFixed(0)} unit=IOPS`);
  }
  console.log("BENCH done");
  exit(0);
}

main().catch((error: unknown) => {
  console.log(`BENCH error: ${String(error)} ${(error as { hint?: string }).hint ?? ""}`);
  exit(9);
});
