// Tenant.processingRecord: derived from the tenant's data and the plugins, for its DPO and
// administrators only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_MEASURES } from '../src/privacy/processing-record.ts';
import { graphql } from './__generated__/gql.ts';
import { createTestApp, errorCodes, ok, seedTenant, type TestApp } from './helpers.ts';

const Setup = graphql(`
  mutation RecordSetup($tenantId: ID!) {
    definePurpose(input: { tenantId: $tenantId, key: "offers", legalBasis: CONSENT, description: "Offers | news" }) { key }
    receipts: definePurpose(input: { tenantId: $tenantId, key: "receipts", legalBasis: CONTRACT }) { key }
    sms: configureChannel(input: { tenantId: $tenantId, pluginId: "dev-sms", config: {} }) { id }
    upsertRecipient(input: { tenantId: $tenantId, externalId: "c-1", phone: "+46701234567" }) { id }
    updateRetentionPolicy(input: { tenantId: $tenantId, sendDataDays: 14 }) { sendDataDays }
  }
`);
const Record = graphql(`
  query ProcessingRecordRead($id: ID!) {
    tenant(id: $id) {
      processingRecord {
        generatedAt
        purposes { key legalBasis description }
        dataCategories { name description }
        subprocessors { pluginId legalEntity location transferMechanism dataCategories }
        retentionPolicy { sendDataDays inactiveRecipientDays auditLogDays }
        securityMeasures
        markdown
      }
    }
  }
`);

let t: TestApp;
let tenant: Awaited<ReturnType<typeof seedTenant>>;
let other: Awaited<ReturnType<typeof seedTenant>>;

beforeAll(async () => {
  t = await createTestApp();
  tenant = await seedTenant(t, 'Record AB');
  other = await seedTenant(t, 'Other AB');
  ok(await t.exec(Setup, { tenantId: tenant.id }, tenant.keys.TENANT_ADMIN));
});
afterAll(() => t.close());

describe('the records of processing', () => {
  it("lists the tenant's purposes, data held, subprocessors, retention and security measures", async () => {
    const record = ok(await t.exec(Record, { id: tenant.id }, tenant.keys.DPO)).tenant!.processingRecord;
    expect(record.purposes).toEqual([
      { key: 'offers', legalBasis: 'CONSENT', description: 'Offers | news' },
      { key: 'receipts', legalBasis: 'CONTRACT', description: null },
    ]);
    // Derived: the recipient has an external id and a phone number, no name or e-mail; SMS is in use, no gifts.
    expect(record.dataCategories.map((c) => c.name)).toEqual(["Customer reference (the tenant's external id)", 'Phone number', 'Messages (SMS)']);
    const devSms = t.app.plugins.get('dev-sms')!;
    expect(record.subprocessors).toEqual([
      { pluginId: 'dev-sms', legalEntity: devSms.subprocessor.legalEntity, location: devSms.subprocessor.location, transferMechanism: devSms.subprocessor.transferMechanism, dataCategories: devSms.subprocessor.dataCategories },
    ]);
    expect(record.retentionPolicy).toEqual({ sendDataDays: 14, inactiveRecipientDays: 730, auditLogDays: 365 });
    expect(record.securityMeasures).toEqual(SECURITY_MEASURES);
    expect(record.securityMeasures.join(' ')).toContain('AES-256-GCM');

    const md = record.markdown;
    expect(md).toContain('# Record of processing activities: Record AB');
    expect(md).toContain('| offers | CONSENT | Offers \\| news |');
    expect(md).toContain('| Phone number |');
    expect(md).toContain(`| ${devSms.subprocessor.name} | ${devSms.subprocessor.legalEntity} | ${devSms.subprocessor.location} |`);
    expect(md).toContain('14 days after the send');
    for (const measure of SECURITY_MEASURES) expect(md).toContain(`- ${measure}.`);
    // Categories, never values: the phone number itself is not in it.
    expect(md).not.toContain('+46701234567');
  });

  it('changes with the data: a tenant without recipients or channels holds nothing and uses no one', async () => {
    const record = ok(await t.exec(Record, { id: other.id }, other.keys.TENANT_ADMIN)).tenant!.processingRecord;
    expect(record).toMatchObject({ purposes: [], dataCategories: [], subprocessors: [] });
    expect(record.markdown).toContain('No enabled channels: no subprocessors.');
  });

  it('is for the DPO, the tenant admin and the platform admin only', async () => {
    ok(await t.exec(Record, { id: tenant.id }));
    ok(await t.exec(Record, { id: tenant.id }, tenant.keys.TENANT_ADMIN));
    for (const role of ['SENDER', 'VIEWER'] as const) expect(errorCodes(await t.exec(Record, { id: tenant.id }, tenant.keys[role]))).toEqual(['FORBIDDEN']);
    for (const role of ['DPO', 'TENANT_ADMIN'] as const) expect(errorCodes(await t.exec(Record, { id: tenant.id }, other.keys[role]))).toEqual(['FORBIDDEN']);
  });
});
