// apps/hello-http, the in-image entry (app layer: the only place that composes drivers). The smallest
// Toro web service: finds the virtio-net card, starts @toro/net with an address from DHCP (or a static
// one from the boot command line), prints the address, and answers every request with 200 and a short
// text naming the method and target (@toro/http: keep-alive, pipelining, HEAD). Imports public entries only.
// Boot options: `port=80`, `ip=A.B.C.D` (static instead of DHCP), `gw=`, `prefix=24`, `dns=A.B.C.D[,..]`
// (resolvers instead of the lease's), `lookup=NAME` (resolve NAME once at start and print the answer).
import { discoverDevices, virtioDeviceType } from "@toro/devices";
import { createServer, fromServer, Response } from "@toro/http";
import { bootCommandLine, deviceHardware, dmaAllocatorFor, exit, parseBootCommandLine } from "@toro/kernel";
import { createStack, formatIpv4, type NetStack } from "@toro/net";
import { virtioNet } from "@toro/virtio-net";

const VIRTIO_NET = 1;

/** Resolves `name` once and prints what came back (a start-up check of DNS; never fatal). */
async function lookupOnce(net: NetStack, name: string, servers: string): Promise<void> {
  try {
    const addresses = await net.lookup(name);
    console.log(`hello-http: lookup ${name} via ${servers} -> ${addresses.join(" ")}`);
  } catch (e) {
    console.log(`hello-http: lookup ${name} via ${servers} failed: ${(e as { code?: string }).code ?? String(e)}`);
  }
}

async function main(): Promise<void> {
  const options = parseBootCommandLine(bootCommandLine()).options;
  const option = (name: string): string | undefined => {
    const v = options[name];
    return typeof v === "string" ? v : undefined;
  };
  const port = Number(option("port") ?? "80");
  const address = option("ip");
  const dns = option("dns")?.split(",").filter((s) => s !== "");

  const hw = deviceHardware();
  const found = discoverDevices(hw).find((d) => virtioDeviceType(d) === VIRTIO_NET);
  if (found === undefined) {
    console.log("hello-http: no network card found; boot with `run-image --port 8080:80` (or --network)");
    exit(2);
  }
  const nic = await virtioNet(hw, found, { dma: dmaAllocatorFor(hw) });
  const net = createStack(nic, { address, gateway: option("gw"), prefixLength: Number(option("prefix") ?? "24"), dns });
  if (address === undefined) console.log("hello-http: asking DHCP for an address");
  const ip = await net.ready();
  const lease = net.dhcp?.lease;
  if (lease) {
    const resolvers = lease.dnsServers.map(formatIpv4).join(",") || "none";
    console.log(`hello-http: leased ${ip}/${lease.prefixLength} gateway ${formatIpv4(lease.gateway)} dns ${resolvers} for ${lease.leaseSeconds} s`);
  } else {
    console.log(`hello-http: static address ${ip}`);
  }

  const http = createServer((req) => new Response(`hello from Toro: ${req.method} ${req.url}\n`), {
    onError: (e) => console.log(`hello-http: handler error: ${String(e)}`),
  });
  const listener = net.createServer();
  listener.on("error", (e: unknown) => {
    console.log(`hello-http: cannot listen on port ${port}: ${String(e)}`);
    exit(3);
  });
  http.listen(fromServer(listener));
  listener.listen(port, () => console.log(`hello-http: listening on http://${ip}:${port}/`));

  const name = option("lookup");
  if (name !== undefined) {
    const servers = dns?.join(",") ?? (lease?.dnsServers.map(formatIpv4).join(",") || "none");
    await lookupOnce(net, name, servers);
  }
}

main().catch((error: unknown) => {
  console.log(`hello-http: ${String(error)} ${(error as { hint?: string }).hint ?? ""}`);
  exit(1);
});
