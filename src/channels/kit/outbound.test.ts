import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { ProviderError, type OutboundPolicy } from '../contract.ts';
import { providerRequest } from './http.ts';
import { createOutboundPolicy, isPublicAddress } from './outbound.ts';

describe('the outbound policy', () => {
  let server: Server;
  let port: number;
  let connections = 0;
  let production: OutboundPolicy;
  let internal: OutboundPolicy;

  beforeAll(async () => {
    server = createServer((_req, res) => res.end('ok'));
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    production = createOutboundPolicy({ allowPrivateNetworks: false });
    internal = createOutboundPolicy({ allowPrivateNetworks: true });
  });

  afterAll(async () => {
    await production.close();
    await internal.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const call = (outbound: OutboundPolicy, url: string) => providerRequest({ config: { timeoutMs: 5_000 }, outbound }, url, { method: 'GET' });

  async function refusal(outbound: OutboundPolicy, url: string): Promise<ProviderError> {
    const err = await call(outbound, url).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err, url).toBeInstanceOf(ProviderError);
    expect(err, url).toMatchObject({ retryable: false, reason: 'blocked_address' });
    return err as ProviderError;
  }

  it('tells public addresses from loopback, private, link-local, unspecified and other non-public ones', () => {
    const refused = [
      '127.0.0.1',
      '127.8.9.10',
      '10.1.2.3',
      '172.16.5.4',
      '172.31.255.255',
      '192.168.0.1',
      '169.254.169.254',
      '169.254.0.1',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::',
      '::1',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '2001:db8::1',
      'ff02::1',
      'not an address',
    ];
    for (const ip of refused) expect(isPublicAddress(ip), ip).toBe(false);
    for (const ip of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '192.169.0.1', '2606:4700:4700::1111', '2a00:1450:4001::200e']) expect(isPublicAddress(ip), ip).toBe(true);
  });

  it('in production refuses literal loopback, private, link-local, metadata and unspecified addresses before connecting', async () => {
    const before = connections;
    for (const url of [
      `http://127.0.0.1:${port}/`,
      'http://10.0.0.1/',
      'https://172.16.0.1/',
      'http://192.168.1.1/',
      'http://169.254.169.254/latest/meta-data/',
      `http://0.0.0.0:${port}/`,
      `http://[::1]:${port}/`,
      'http://[fe80::1]/',
      'http://[fd00::1]/',
      `http://[::ffff:127.0.0.1]:${port}/`,
    ]) {
      const err = await refusal(production, url);
      expect(err.message).toContain('not a public address');
    }
    expect(connections).toBe(before);
  });

  it('in production refuses a name that resolves to a loopback address (localhost), checked on the resolved address', async () => {
    const before = connections;
    const err = await refusal(production, `http://localhost:${port}/`);
    expect(err.message).toMatch(/localhost is at (127\.0\.0\.1|::1), not a public address/);
    expect(connections).toBe(before);
  });

  it('with private networks allowed (development, internal providers) reaches them', async () => {
    for (const url of [`http://127.0.0.1:${port}/`, `http://localhost:${port}/`]) {
      const res = await call(internal, url);
      expect(res).toMatchObject({ status: 200, text: 'ok' });
    }
  });

  it('refuses anything but http and https, whatever the setting', async () => {
    for (const outbound of [production, internal]) {
      for (const url of ['ftp://provider.example/file', 'file:///etc/passwd', 'data:text/plain,hello', 'javascript:alert(1)', 'gopher://127.0.0.1:6379/', 'not a url']) {
        const err = await refusal(outbound, url);
        expect(err.message).toBe('provider URL is not an http or https URL');
      }
    }
  });

  it('is closed to private networks in production unless OUTBOUND_ALLOW_PRIVATE_NETWORKS=true, open elsewhere', () => {
    const production = { NODE_ENV: 'production', ADMIN_API_KEY: 'k'.repeat(32), MASTER_KEY: Buffer.alloc(32).toString('base64'), DATABASE_URL: 'postgres://db/send' };
    expect(loadConfig(production).outboundAllowPrivateNetworks).toBe(false);
    expect(loadConfig({ ...production, OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' }).outboundAllowPrivateNetworks).toBe(true);
    expect(loadConfig({ ...production, NODE_ENV: 'test' }).outboundAllowPrivateNetworks).toBe(true);
    expect(() => loadConfig({ ...production, OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'yes' })).toThrow('OUTBOUND_ALLOW_PRIVATE_NETWORKS');
  });
});
