// Where provider calls may connect. Tenants choose a plugin's baseUrl (and FCM's token_uri),
// so in production a call must not reach the service's own network: loopback, private,
// link-local (the cloud metadata address 169.254.169.254 among them) or other non-public
// addresses are refused. The check runs on the address actually connected to: a DNS name is
// resolved by the checking lookup the socket then uses, so a name that points inside is
// refused too and nothing can change between check and connect.
import { lookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent, buildConnector } from 'undici';
import type { OutboundPolicy } from '../contract.ts';

// Addresses that are not on the public internet, one list per family: a BlockList also checks
// IPv4 addresses against its IPv6 rules (as IPv4-mapped addresses), which ::/3 would catch.
const NON_PUBLIC_V4 = new BlockList();
const NON_PUBLIC_V6 = new BlockList();
for (const [address, prefix] of [
  ['0.0.0.0', 8], // "this network", with the unspecified 0.0.0.0
  ['10.0.0.0', 8], // private (RFC 1918)
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12], // private (RFC 1918)
  ['192.0.0.0', 24], // protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private (RFC 1918)
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 3], // multicast, reserved, broadcast
] as const) {
  NON_PUBLIC_V4.addSubnet(address, prefix, 'ipv4');
}
// IPv6: only global unicast (2000::/3) is public; outside it lie ::, ::1, IPv4-mapped
// addresses, unique-local fc00::/7, link-local fe80::/10 and multicast.
for (const [address, prefix] of [
  ['::', 3],
  ['4000::', 2],
  ['8000::', 1],
  ['2001::', 23], // protocol assignments (Teredo among them)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4, which wraps any IPv4 address
] as const) {
  NON_PUBLIC_V6.addSubnet(address, prefix, 'ipv6');
}

/** Whether an IP address is on the public internet. */
export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return !NON_PUBLIC_V4.check(ip, 'ipv4');
  return family === 6 && !NON_PUBLIC_V6.check(ip, 'ipv6');
}

/** The cause of a refused connection; providerRequest turns it into ProviderError 'blocked_address'. */
export class BlockedAddressError extends Error {
  readonly code = 'ERR_BLOCKED_ADDRESS';
  constructor(host: string, address: string) {
    super(`${host} is ${address === host ? 'not a public address' : `at ${address}, not a public address`}`);
    this.name = 'BlockedAddressError';
  }
}

type LookupCallback = (err: Error | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup that refuses a name any of whose addresses is not public. */
function publicLookup(hostname: string, options: LookupAllOptions & { all?: boolean }, callback: LookupCallback): void {
  lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused) return callback(new BlockedAddressError(hostname, refused.address), []);
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
}

export interface OutboundSettings {
  /** Let calls reach loopback, private and other non-public addresses (development, internal providers). */
  allowPrivateNetworks: boolean;
}

/** For the records of processing (GDPR Art. 32). */
export const OUTBOUND_MEASURE = 'In production, provider calls connect only to public addresses, checked on the address actually connected to';

export function createOutboundPolicy(settings: OutboundSettings): OutboundPolicy {
  if (settings.allowPrivateNetworks) return withAgent(new Agent());
  const connect = buildConnector({ lookup: publicLookup } as buildConnector.BuildOptions);
  return withAgent(
    new Agent({
      connect(options, callback) {
        // An IP literal is connected to without a lookup, so it is checked here.
        const host = options.hostname;
        if (isIP(host) && !isPublicAddress(host)) return callback(new BlockedAddressError(host, host), null);
        connect(options, callback);
      },
    }),
  );
}

function withAgent(agent: Agent): OutboundPolicy {
  return { dispatcher: agent, close: () => agent.destroy() };
}
