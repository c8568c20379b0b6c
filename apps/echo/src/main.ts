// apps/echo, the in-image entry (app layer: the only place that composes drivers). TCP echo service
// (RFC 862): finds the virtio-net card, starts @toro/net on it with an address from DHCP (or a static
// one from the boot command line), prints the address, and sends every byte it receives back on the
// same connection, pausing the reader while the send buffer is full. Imports public entries only.
// Boot options: `port=7`, `ip=A.B.C.D` (static address instead of DHCP), `gw=A.B.C.D`, `prefix=24`.
import { discoverDevices, virtioDeviceType } from "@toro/devices";
import { bootCommandLine, deviceHardware, dmaAllocatorFor, exit, parseBootCommandLine } from "@toro/kernel";
import { createStack, type Socket } from "@toro/net";
import { virtioNet } from "@toro/virtio-net";

const VIRTIO_NET = 1;

/** Echoes one connection: bytes in, the same bytes out, with backpressure both ways. */
function echo(socket: Socket): void {
  socket.setNoDelay(true);
  socket.on("data", (chunk: Uint8Array) => {
    if (!socket.write(chunk)) {
      // The peer reads slower than it writes: stop reading (our window closes) until TCP took it.
      socket.pause();
      socket.once("drain", () => socket.resume());
    }
  });
  socket.on("end", () => socket.end());
  socket.on("error", () => socket.destroy());
}

async function main(): Promise<void> {
  const options = parseBootCommandLine(bootCommandLine()).options;
  const option = (name: string): string | undefined => {
    const v = options[name];
    return typeof v === "string" ? v : undefined;
  };
  const port = Number(option("port") ?? "7");
  const address = option("ip");

  const hw = deviceHardware();
  const found = discoverDevices(hw).find((d) => virtioDeviceType(d) === VIRTIO_NET);
  if (found === undefined) {
    console.log("echo: no network card found; boot with `run-image --port 7007:7` (or --network)");
    exit(2);
  }
  const nic = await virtioNet(hw, found, { dma: dmaAllocatorFor(hw) });
  const net = createStack(nic, {
    address,
    gateway: option("gw"),
    prefixLength: Number(option("prefix") ?? "24"),
  });
  if (address === undefined) console.log("echo: asking DHCP for an address");
  const ip = await net.ready();
  const lease = net.dhcp?.lease;
  console.log(lease ? `echo: leased ${ip}/${lease.prefixLength} for ${lease.leaseSeconds} s` : `echo: static address ${ip}`);

  const server = net.createServer(echo);
  server.on("error", (e: unknown) => {
    console.log(`echo: cannot listen on port ${port}: ${String(e)}`);
    exit(3);
  });
  server.listen(port, () => console.log(`echo: listening on ${ip}:${port}`));
}

main().catch((error: unknown) => {
  console.log(`echo: ${String(error)} ${(error as { hint?: string }).hint ?? ""}`);
  exit(1);
});
