// Static-web-server, the in-image entry (app layer: the only place that composes drivers). Finds the
// machine's virtio devices, mounts the FAT disk (virtio-blk) read-only, starts @toro/net on the NIC
// (virtio-net) with QEMU user networking's static address, and serves the disk with @toro/http.
// Boot options: `root=/www` (directory served, default `/`), `port=80`, `ip=10.0.2.15`, `gw=10.0.2.2`.
import { discoverDevices, virtioDeviceType, type FoundDevice } from "@toro/devices";
import { createVfs, mountFat } from "@toro/fs";
import { createServer, fromServer } from "@toro/http";
import { bootCommandLine, deviceHardware, dmaAllocatorFor, exit, parseBootCommandLine } from "@toro/kernel";
import { createStack } from "@toro/net";
import { virtioBlk } from "@toro/virtio-blk";
import { virtioNet } from "@toro/virtio-net";
import { createStaticHandler } from "./static-handler.js";

const VIRTIO_NET = 1;
const VIRTIO_BLK = 2;

function need(devices: FoundDevice[], type: number, what: string, hint: string): FoundDevice {
  const d = devices.find((x) => virtioDeviceType(x) === type);
  if (d === undefined) {
    console.log(`static-web-server: no ${what} found; ${hint}`);
    exit(2);
  }
  return d;
}

async function main(): Promise<void> {
  const options = parseBootCommandLine(bootCommandLine()).options;
  const option = (name: string, fallback: string): string => {
    const v = options[name];
    return typeof v === "string" ? v : fallback;
  };
  const root = option("root", "/");
  const port = Number(option("port", "80"));
  const address = option("ip", "10.0.2.15"); // QEMU user networking's default guest address
  const gateway = option("gw", "10.0.2.2");

  const hw = deviceHardware();
  const dma = dmaAllocatorFor(hw);
  const devices = discoverDevices(hw);
  const disk = await virtioBlk(hw, need(devices, VIRTIO_BLK, "disk", "attach the site with `run-image --disk site.img`"), { dma });
  const vfs = createVfs();
  vfs.mount("/", await mountFat(disk, { readOnly: true }));
  const nic = await virtioNet(hw, need(devices, VIRTIO_NET, "network card", "forward a port with `run-image --port 8080:80`"), { dma });
  const net = createStack(nic, { address, gateway });

  const http = createServer(createStaticHandler(vfs, { root }), {
    onError: (e) => console.log(`static-web-server: handler error: ${String(e)}`),
  });
  const listener = net.createServer();
  listener.on("error", (e: unknown) => {
    console.log(`static-web-server: cannot listen on port ${port}: ${String(e)}`);
    exit(3);
  });
  http.listen(fromServer(listener));
  listener.listen(port, () => console.log(`static-web-server: serving ${root} of a ${disk.info.sectorCount * disk.info.sectorSize} byte disk on http://${address}:${port}/`));
}

main().catch((error: unknown) => {
  console.log(`static-web-server: ${String(error)} ${(error as { hint?: string }).hint ?? ""}`);
  exit(1);
});
