// Channel plugins and tenants' channel configurations through the GraphQL endpoint: the plugin
// catalogue (the folders of plugins/), configureChannel (validation, roles, encryption at rest),
// Tenant.channels, the subprocessor register with its Art. 28 audit events, and the channels
// the dispatcher opens.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Channel } from '../src/db/generated/enums.ts';
import { openChannelById } from '../src/channels/open-channels.ts';
import { createPluginRegistry, PLUGIN_FOLDERS } from '../src/channels/registry.ts';
import { decodeGlobalId } from '../src/ids.ts';
import { graphql } from './__generated__/gql.ts';
import { createTestApp, errorCodes, ok, seedTenant, TEST_ADMIN_KEY, type TestApp } from './helpers.ts';

const ChannelPlugins = graphql(`
  query ChannelPlugins {
    channelPlugins {
      id channel displayName configSchema
      subprocessor { pluginId name legalEntity purpose location transferMechanism dataCategories }
    }
  }
`);

const ConfigureChannel = graphql(`
  mutation ConfigureChannel($input: ConfigureChannelInput!) {
    configureChannel(input: $input) { id channel priority enabled plugin { id displayName } }
  }
`);

const TenantChannels = graphql(`
  query TenantChannels($id: ID!) {
    tenant(id: $id) { channels { id channel priority enabled plugin { id } } }
  }
`);

const ChannelWebhookUrls = graphql(`
  query ChannelWebhookUrls($id: ID!) {
    tenant(id: $id) { channels { plugin { id } webhookUrl } }
  }
`);

const Subprocessors = graphql(`
  query Subprocessors($tenantId: ID!) {
    subprocessors(tenantId: $tenantId) { pluginId name legalEntity purpose location transferMechanism dataCategories }
  }
`);

const AuditLog = graphql(`
  query ChannelAuditLog($id: ID!) {
    tenant(id: $id) { auditLog(first: 100) { edges { node { action actor targetType targetId } } } }
  }
`);

const ChannelNode = graphql(`
  query ChannelNode($id: ID!) {
    node(id: $id) { id ... on ChannelConfig { channel priority enabled plugin { id } } }
  }
`);

/** The installed provider plugins (the local catchers aside) and every plugin, as the registry finds them. */
const PROVIDERS = createPluginRegistry({ allowDevPlugins: false }).ids();
const ALL_PLUGINS = createPluginRegistry({ allowDevPlugins: true }).ids();
const CATCHERS = PLUGIN_FOLDERS.filter((f) => f.devOnly).flatMap((f) => f.plugins.map((p) => p.id));

/** Credentials that must never come out again; distinctive enough to find anywhere. */
const SECRETS = {
  elksPassword: 'elks-secret-password-7Qz1',
  brevoKey: 'xkeysib-secret-brevo-key-4Lm9',
  clearOnKey: 'clearon-secret-api-key-8Vw2',
  clearOnWebhookSecret: 'clearon-webhook-secret-3Nb6xx',
  fcmPrivateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
};

const CONFIGS: Record<string, Record<string, unknown>> = {
  'sms-46elks': { username: 'u0123456789abcdef0123456789abcdef', password: SECRETS.elksPassword, from: 'Acme' },
  'email-brevo': { apiKey: SECRETS.brevoKey, senderEmail: 'news@acme.example', senderName: 'Acme' },
  'push-fcm': {
    serviceAccount: { type: 'service_account', project_id: 'acme-app', private_key: SECRETS.fcmPrivateKey, client_email: 'push@acme-app.iam.gserviceaccount.com' },
  },
  'coupon-clearon': { apiKey: SECRETS.clearOnKey, webhookSecret: SECRETS.clearOnWebhookSecret, baseUrl: 'https://clearon.example/api' },
};

let t: TestApp;
let acme: Awaited<ReturnType<typeof seedTenant>>;
let other: Awaited<ReturnType<typeof seedTenant>>;

beforeAll(async () => {
  t = await createTestApp();
  acme = await seedTenant(t, 'Acme');
  other = await seedTenant(t, 'Other');
});
afterAll(() => t.close());

const configure = (input: { pluginId: string; config?: unknown; priority?: number; enabled?: boolean }, token: string | null = acme.keys.TENANT_ADMIN, tenantId = acme.id) =>
  t.exec(ConfigureChannel, { input: { tenantId, config: CONFIGS[input.pluginId] ?? {}, ...input } }, token);

async function auditActions(tenantId: string) {
  return ok(await t.exec(AuditLog, { id: tenantId })).tenant!.auditLog.edges.map((e) => e.node);
}

/** Every string the credentials could show up as, in an answer or a row. */
const secretValues = () => [SECRETS.elksPassword, SECRETS.brevoKey, SECRETS.clearOnKey, SECRETS.clearOnWebhookSecret, SECRETS.fcmPrivateKey, SECRETS.fcmPrivateKey.split('\n')[5]!];

describe('channelPlugins', () => {
  it('lists every installed provider with its subprocessor and a JSON Schema whose secrets are writeOnly', async () => {
    const { channelPlugins } = ok(await t.exec(ChannelPlugins, {}, acme.keys.VIEWER));
    expect(channelPlugins.map((p) => p.id)).toEqual(ALL_PLUGINS);
    for (const plugin of channelPlugins) {
      expect(plugin.subprocessor.pluginId).toBe(plugin.id);
      expect(plugin.subprocessor.legalEntity).not.toBe('');
      expect(plugin.subprocessor.dataCategories.length).toBeGreaterThan(0);
      expect(plugin.configSchema).toMatchObject({ type: 'object' });
    }
    const byId = new Map(channelPlugins.map((p) => [p.id, p]));
    const properties = (id: string) => (byId.get(id)!.configSchema as { properties: Record<string, { writeOnly?: boolean }> }).properties;
    const writeOnly = (id: string) => Object.keys(properties(id)).filter((name) => properties(id)[name]!.writeOnly === true).sort();
    expect(writeOnly('sms-46elks')).toEqual(['password']);
    expect(writeOnly('sms-lekab')).toEqual(['password']);
    expect(writeOnly('sms-twilio')).toEqual(['authToken']);
    expect(writeOnly('email-brevo')).toEqual(['apiKey', 'webhookToken']);
    expect(writeOnly('email-sendgrid')).toEqual(['apiKey']);
    expect(writeOnly('push-fcm')).toEqual(['serviceAccount']);
    expect(writeOnly('coupon-clearon')).toEqual(['apiKey', 'webhookSecret']);
    for (const id of PROVIDERS) expect(Object.keys(properties(id))).toEqual(expect.arrayContaining(['baseUrl', 'timeoutMs']));
    expect(byId.get('sms-46elks')).toMatchObject({
      channel: 'SMS',
      subprocessor: { name: '46elks', legalEntity: '46elks AB', location: 'Sweden', transferMechanism: null },
    });
  });

  it('needs an authenticated caller', async () => {
    expect(errorCodes(await t.exec(ChannelPlugins, {}, null))).toEqual(['UNAUTHENTICATED']);
  });

  it('lists by channel, then id, with the local catchers last', async () => {
    const { channelPlugins } = ok(await t.exec(ChannelPlugins, {}, acme.keys.VIEWER));
    const order = Object.values(Channel);
    const inOrder = (plugins: typeof channelPlugins) =>
      plugins.every((p, i) => i === 0 || order.indexOf(plugins[i - 1]!.channel) < order.indexOf(p.channel) || (plugins[i - 1]!.channel === p.channel && plugins[i - 1]!.id < p.id));
    const providers = channelPlugins.slice(0, PROVIDERS.length);
    expect(providers.map((p) => p.id)).toEqual(PROVIDERS);
    expect(inOrder(providers)).toBe(true);
    expect(inOrder(channelPlugins.slice(PROVIDERS.length))).toBe(true);
  });

  it('leaves the local dev catchers out when they are not allowed', () => {
    expect([...CATCHERS].sort()).toEqual(['dev-coupon', 'dev-email', 'dev-push', 'dev-sms']);
    expect(PROVIDERS).toEqual(ALL_PLUGINS.filter((id) => !CATCHERS.includes(id)));
  });

  it('installs the plugins of every folder of plugins/ that has an index.ts, each named after its folder', () => {
    const root = new URL('../plugins/', import.meta.url);
    const folders = readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(new URL(`${entry.name}/index.ts`, root)))
      .map((entry) => entry.name);
    expect(PLUGIN_FOLDERS.map((f) => f.folder).sort()).toEqual(folders.sort());
    for (const { folder, plugins } of PLUGIN_FOLDERS) {
      for (const plugin of plugins) expect(plugin.id === folder || plugin.id.startsWith(`${folder}-`), `${plugin.id} in plugins/${folder}`).toBe(true);
    }
  });
});

describe('configureChannel', () => {
  it('stores a tenant admin\'s configuration and answers without credentials', async () => {
    const res = ok(await configure({ pluginId: 'sms-46elks', priority: 1 })).configureChannel;
    expect(res).toMatchObject({ channel: 'SMS', priority: 1, enabled: true, plugin: { id: 'sms-46elks', displayName: '46elks SMS' } });
    expect(decodeGlobalId(res.id)?.typename).toBe('ChannelConfig');
    const audit = await auditActions(acme.id);
    expect(audit.find((e) => e.action === 'channel.configured')).toMatchObject({
      targetType: 'ChannelConfig',
      targetId: decodeGlobalId(res.id)!.id,
      actor: expect.stringMatching(/^apikey:/),
    });
  });

  it('replaces the configuration of the same plugin instead of adding a second one', async () => {
    const first = ok(await configure({ pluginId: 'sms-46elks' })).configureChannel;
    const again = ok(await configure({ pluginId: 'sms-46elks', config: { ...CONFIGS['sms-46elks'], from: 'AcmeShop' } })).configureChannel;
    expect(again.id).toBe(first.id);
    // Unspecified settings keep their values.
    expect(again.priority).toBe(1);
    const opened = await openChannelById(t.app, decodeGlobalId(again.id)!.id);
    expect(opened.config).toMatchObject({ from: 'AcmeShop', password: SECRETS.elksPassword });
    expect(opened.context.callbackUrl).toMatch(new RegExp(`^${t.config.publicUrl}/webhooks/sms-46elks/[\\w-]{22}\\.[\\w-]{43}$`));
  });

  it('refuses invalid credentials with BAD_USER_INPUT naming the field', async () => {
    const badFrom = await configure({ pluginId: 'sms-46elks', config: { ...CONFIGS['sms-46elks'], from: '1-not-a-sender' } });
    expect(errorCodes(badFrom)).toEqual(['BAD_USER_INPUT']);
    expect(badFrom.errors![0]!.extensions!.field).toBe('config.from');

    const { password: _omitted, ...noPassword } = CONFIGS['sms-46elks']!;
    const missing = await configure({ pluginId: 'sms-46elks', config: noPassword });
    expect(missing.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'config.password' });

    const nested = await configure({ pluginId: 'push-fcm', config: { serviceAccount: { project_id: 'p', private_key: 'nope', client_email: 'push@p.example' } } });
    expect(nested.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'config.serviceAccount.private_key' });
    expect(nested.errors![0]!.message).not.toContain('nope');

    const notAnObject = await configure({ pluginId: 'sms-46elks', config: 'password=secret' });
    expect(notAnObject.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'config' });

    for (const baseUrl of ['ftp://api.46elks.com', 'file:///etc/passwd', 'gopher://127.0.0.1:6379/_INFO']) {
      const badBase = await configure({ pluginId: 'sms-46elks', config: { ...CONFIGS['sms-46elks'], baseUrl } });
      expect(badBase.errors![0]!.extensions, baseUrl).toMatchObject({ code: 'BAD_USER_INPUT', field: 'config.baseUrl' });
    }

    const badPriority = await configure({ pluginId: 'sms-46elks', priority: -1 });
    expect(badPriority.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'priority' });
  });

  it('refuses an unknown plugin', async () => {
    const res = await configure({ pluginId: 'sms-nonexistent', config: {} });
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'pluginId' });
  });

  it('is for the tenant admin only', async () => {
    for (const role of ['SENDER', 'VIEWER', 'DPO'] as const) {
      expect(errorCodes(await configure({ pluginId: 'email-brevo' }, acme.keys[role])), role).toEqual(['FORBIDDEN']);
    }
    expect(errorCodes(await configure({ pluginId: 'email-brevo' }, other.keys.TENANT_ADMIN))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await configure({ pluginId: 'email-brevo' }, null))).toEqual(['UNAUTHENTICATED']);
    const channels = ok(await t.exec(TenantChannels, { id: acme.id })).tenant!.channels;
    expect(channels.map((c) => c.plugin.id)).not.toContain('email-brevo');
  });
});

describe('the subprocessor register', () => {
  let register: Awaited<ReturnType<typeof seedTenant>>;

  beforeAll(async () => {
    register = await seedTenant(t, 'Register AB');
    for (const pluginId of ['sms-46elks', 'email-brevo', 'push-fcm', 'coupon-clearon']) {
      ok(await configure({ pluginId }, register.keys.TENANT_ADMIN, register.id));
    }
  });

  it('lists exactly the four legal entities of 46elks, Brevo, FCM and ClearOn with location and transfer mechanism', async () => {
    const { subprocessors } = ok(await t.exec(Subprocessors, { tenantId: register.id }, register.keys.DPO));
    expect(subprocessors.map(({ pluginId, legalEntity, location, transferMechanism }) => ({ pluginId, legalEntity, location, transferMechanism }))).toEqual([
      { pluginId: 'sms-46elks', legalEntity: '46elks AB', location: 'Sweden', transferMechanism: null },
      { pluginId: 'email-brevo', legalEntity: 'Sendinblue SAS (Brevo)', location: 'France/EU', transferMechanism: null },
      {
        pluginId: 'push-fcm',
        legalEntity: 'Google LLC (Google Ireland Limited as contracting party in the EEA)',
        location: 'EU/US',
        transferMechanism: 'SCCs / EU-US Data Privacy Framework',
      },
      { pluginId: 'coupon-clearon', legalEntity: 'ClearOn AB', location: 'Sweden', transferMechanism: null },
    ]);
    for (const s of subprocessors) expect(s.dataCategories.length).toBeGreaterThan(0);
  });

  it('is readable by every role of the tenant and by no other tenant', async () => {
    for (const role of ['TENANT_ADMIN', 'SENDER', 'VIEWER', 'DPO'] as const) {
      expect(ok(await t.exec(Subprocessors, { tenantId: register.id }, register.keys[role])).subprocessors, role).toHaveLength(4);
    }
    const foreign = await t.exec(Subprocessors, { tenantId: register.id }, acme.keys.TENANT_ADMIN);
    expect(errorCodes(foreign)).toEqual(['FORBIDDEN']);
    expect(foreign.data).toBeNull();
  });

  it('writes one subprocessor.added audit event per new subprocessor, and none when one is reconfigured', async () => {
    ok(await configure({ pluginId: 'sms-46elks', priority: 5 }, register.keys.TENANT_ADMIN, register.id));
    const audit = await auditActions(register.id);
    const added = audit.filter((e) => e.action === 'subprocessor.added');
    expect(added.map((e) => e.targetId).sort()).toEqual(['coupon-clearon', 'email-brevo', 'push-fcm', 'sms-46elks']);
    expect(added.every((e) => e.targetType === 'Subprocessor')).toBe(true);
    expect(audit.filter((e) => e.action === 'channel.configured')).toHaveLength(5);
  });

  it('drops disabled channels, with a subprocessor.removed notice, and takes them back when re-enabled', async () => {
    ok(await configure({ pluginId: 'coupon-clearon', enabled: false }, register.keys.TENANT_ADMIN, register.id));
    const { subprocessors } = ok(await t.exec(Subprocessors, { tenantId: register.id }, register.keys.DPO));
    expect(subprocessors.map((s) => s.pluginId)).toEqual(['sms-46elks', 'email-brevo', 'push-fcm']);
    const removed = (await auditActions(register.id)).filter((e) => e.action === 'subprocessor.removed');
    expect(removed).toEqual([expect.objectContaining({ targetType: 'Subprocessor', targetId: 'coupon-clearon' })]);

    // Still configured, just not in use.
    const channels = ok(await t.exec(TenantChannels, { id: register.id }, register.keys.VIEWER)).tenant!.channels;
    expect(channels.find((c) => c.plugin.id === 'coupon-clearon')).toMatchObject({ enabled: false, channel: 'COUPON' });

    ok(await configure({ pluginId: 'coupon-clearon', enabled: true }, register.keys.TENANT_ADMIN, register.id));
    expect(ok(await t.exec(Subprocessors, { tenantId: register.id }, register.keys.DPO)).subprocessors).toHaveLength(4);
    const added = (await auditActions(register.id)).filter((e) => e.action === 'subprocessor.added' && e.targetId === 'coupon-clearon');
    expect(added).toHaveLength(2);
  });

  it('counts plugins of one subprocessor once, with their data categories merged', async () => {
    const dev = await seedTenant(t, 'Dev AB');
    ok(await configure({ pluginId: 'dev-sms' }, dev.keys.TENANT_ADMIN, dev.id));
    ok(await configure({ pluginId: 'dev-email' }, dev.keys.TENANT_ADMIN, dev.id));
    const { subprocessors } = ok(await t.exec(Subprocessors, { tenantId: dev.id }, dev.keys.DPO));
    expect(subprocessors).toHaveLength(1);
    expect(subprocessors[0]!.dataCategories).toEqual(expect.arrayContaining(['phone number', 'e-mail address']));
    expect((await auditActions(dev.id)).filter((e) => e.action === 'subprocessor.added')).toHaveLength(1);

    // Disabling one of the two keeps the subprocessor in use: no removal notice.
    ok(await configure({ pluginId: 'dev-sms', enabled: false }, dev.keys.TENANT_ADMIN, dev.id));
    expect((await auditActions(dev.id)).filter((e) => e.action === 'subprocessor.removed')).toHaveLength(0);
  });

  it('answers NOT_FOUND for a tenant that does not exist', async () => {
    const missing = Buffer.from('Tenant:00000000-0000-7000-8000-000000000000').toString('base64');
    expect(errorCodes(await t.exec(Subprocessors, { tenantId: missing }))).toEqual(['NOT_FOUND']);
  });
});

describe('Tenant.channels', () => {
  it('lists the channels ordered by channel, then priority', async () => {
    const shop = await seedTenant(t, 'Shop');
    const admin = shop.keys.TENANT_ADMIN;
    ok(await configure({ pluginId: 'coupon-clearon' }, admin, shop.id));
    ok(await configure({ pluginId: 'email-brevo' }, admin, shop.id));
    ok(await configure({ pluginId: 'sms-46elks', priority: 2 }, admin, shop.id));
    ok(await configure({ pluginId: 'dev-sms', priority: 1 }, admin, shop.id));
    const channels = ok(await t.exec(TenantChannels, { id: shop.id }, shop.keys.SENDER)).tenant!.channels;
    expect(channels.map((c) => [c.channel, c.plugin.id, c.priority])).toEqual([
      ['SMS', 'dev-sms', 1],
      ['SMS', 'sms-46elks', 2],
      ['EMAIL', 'email-brevo', 0],
      ['COUPON', 'coupon-clearon', 0],
    ]);
    const node = ok(await t.exec(ChannelNode, { id: channels[1]!.id }, shop.keys.VIEWER)).node;
    expect(node).toMatchObject({ id: channels[1]!.id, channel: 'SMS', plugin: { id: 'sms-46elks' } });
    expect(errorCodes(await t.exec(ChannelNode, { id: channels[1]!.id }, acme.keys.TENANT_ADMIN))).toEqual(['FORBIDDEN']);
  });

  it('shows the webhook URL to the tenant admin only', async () => {
    const urls = ok(await t.exec(ChannelWebhookUrls, { id: acme.id }, acme.keys.TENANT_ADMIN)).tenant!.channels;
    expect(urls[0]!.webhookUrl).toMatch(new RegExp(`^${t.config.publicUrl}/webhooks/${urls[0]!.plugin.id}/`));
    expect(errorCodes(await t.exec(ChannelWebhookUrls, { id: acme.id }, acme.keys.SENDER))).toEqual(['FORBIDDEN']);
  });
});

describe('credentials', () => {
  it('never appear in a GraphQL answer, not even to the tenant admin or the operator', async () => {
    for (const pluginId of Object.keys(CONFIGS)) ok(await configure({ pluginId }));
    const answers = [];
    for (const token of [acme.keys.TENANT_ADMIN, TEST_ADMIN_KEY]) {
      answers.push(await t.exec(TenantChannels, { id: acme.id }, token));
      answers.push(await t.exec(ChannelWebhookUrls, { id: acme.id }, token));
      answers.push(await t.exec(Subprocessors, { tenantId: acme.id }, token));
      answers.push(await t.exec(ChannelPlugins, {}, token));
      answers.push(await t.exec(AuditLog, { id: acme.id }, token));
      answers.push(await configure({ pluginId: 'coupon-clearon' }, token));
    }
    const text = JSON.stringify(answers);
    for (const secret of secretValues()) expect(text).not.toContain(secret);
  });

  it('are stored only encrypted: the raw rows hold none of them', async () => {
    const rows = await t.app.db.query<Record<string, unknown>>(`SELECT * FROM "ChannelConfig" WHERE "tenantId" = $1`, [decodeGlobalId(acme.id)!.id]);
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) {
      const sealed = Buffer.from(row.encryptedConfig as Uint8Array);
      expect(sealed.length).toBeGreaterThan(28);
      const views = [JSON.stringify(row), sealed.toString('utf8'), sealed.toString('latin1'), sealed.toString('base64'), sealed.toString('hex')];
      for (const view of views) for (const secret of secretValues()) expect(view).not.toContain(secret);
    }
    const fcm = rows.find((r) => r.pluginId === 'push-fcm')!;
    const opened = await openChannelById(t.app, fcm.id as string);
    expect((opened.config as { serviceAccount: { private_key: string } }).serviceAccount.private_key).toBe(SECRETS.fcmPrivateKey);
  });

  it('are bound to their row: a ciphertext moved to another row does not open', async () => {
    const rows = await t.app.prisma.channelConfig.findMany({ where: { tenantId: decodeGlobalId(acme.id)!.id }, select: { id: true, pluginId: true, encryptedConfig: true } });
    const [from, to] = [rows.find((r) => r.pluginId === 'email-brevo')!, rows.find((r) => r.pluginId === 'sms-46elks')!];
    const original = to.encryptedConfig;
    await t.app.prisma.channelConfig.update({ where: { id: to.id }, data: { encryptedConfig: from.encryptedConfig } });
    await expect(openChannelById(t.app, to.id)).rejects.toThrow();
    await t.app.prisma.channelConfig.update({ where: { id: to.id }, data: { encryptedConfig: original } });
    expect((await openChannelById(t.app, to.id)).config).toMatchObject({ password: SECRETS.elksPassword });
  });
});

describe("a tenant's channels, opened for sending", () => {
  let shop: Awaited<ReturnType<typeof seedTenant>>;
  let tenantId: string;

  beforeAll(async () => {
    shop = await seedTenant(t, 'Opened AB');
    tenantId = decodeGlobalId(shop.id)!.id;
    const admin = shop.keys.TENANT_ADMIN;
    ok(await configure({ pluginId: 'sms-46elks', priority: 2, config: { ...CONFIGS['sms-46elks'], maxPerSecond: 40 } }, admin, shop.id));
    ok(await configure({ pluginId: 'dev-sms', priority: 1 }, admin, shop.id));
    ok(await configure({ pluginId: 'sms-twilio', enabled: false, config: { accountSid: `AC${'0'.repeat(32)}`, authToken: 'token', from: 'Shop' } }, admin, shop.id));
    ok(await configure({ pluginId: 'coupon-clearon' }, admin, shop.id));
  });

  it('are the enabled configurations of the channel by priority, each with its plugin, context and rate limit', async () => {
    const sms = await t.app.channels.messageChannels(tenantId, 'SMS');
    expect(sms.map((c) => [c.pluginId, c.priority, c.enabled])).toEqual([
      ['dev-sms', 1, true],
      ['sms-46elks', 2, true],
    ]);
    const [dev, elks] = sms as [(typeof sms)[number], (typeof sms)[number]];
    expect(elks.plugin).toBe(t.app.plugins.get('sms-46elks'));
    expect(elks.context).toEqual({ config: elks.config, callbackUrl: expect.stringMatching(new RegExp(`^${t.config.publicUrl}/webhooks/sms-46elks/`)), outbound: t.app.outbound });
    expect(elks.config).toMatchObject({ password: SECRETS.elksPassword });
    // The config's own maxPerSecond wins over the plugin's documented pace; a catcher has none.
    expect(elks.rateLimit).toEqual({ max: 40, perMs: 1000 });
    expect(dev.rateLimit).toBeNull();
    expect(await t.app.channels.messageChannels(tenantId, 'EMAIL')).toEqual([]);
  });

  it('gives coupons their own list', async () => {
    const coupons = await t.app.channels.couponChannels(tenantId);
    expect(coupons.map((c) => [c.pluginId, c.plugin.channel, c.rateLimit])).toEqual([['coupon-clearon', 'COUPON', t.app.plugins.get('coupon-clearon')!.rateLimit]]);
  });
});
