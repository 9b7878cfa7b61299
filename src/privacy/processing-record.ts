// The records of processing (GDPR Art. 30(2)) of one tenant, derived from its data and the
// code, never kept by hand: its purposes and legal bases, the categories of personal data it
// holds, the subprocessors of its enabled channels, the retention periods in force and the
// security measures, each stated by the module that implements it.
import { API_KEY_MEASURE } from '../auth/api-keys.ts';
import { OUTBOUND_MEASURE } from '../channels/kit/outbound.ts';
import { MINIMISATION_MEASURE } from '../channels/recipient-fields.ts';
import type { PluginRegistry } from '../channels/registry.ts';
import { listSubprocessors, subprocessorKey, subprocessorsOf, type Subprocessor } from '../channels/subprocessors.ts';
import type { PrismaClient } from '../db/client.ts';
import type { Channel } from '../db/generated/enums.ts';
import type { Purpose } from '../db/generated/client.ts';
import { notFound } from '../errors.ts';
import { LOG_MEASURE } from '../log.ts';
import { MASKING_MEASURE } from '../recipients/personal-view.ts';
import { AUDIT_MEASURE } from './audit.ts';
import { ENCRYPTION_MEASURE } from './crypto.ts';
import { POLICY_SELECT, type RetentionPolicy } from './retention-policy.ts';
import { BLIND_INDEX_MEASURE } from './tenant-keys.ts';

export const SECURITY_MEASURES: readonly string[] = [
  ENCRYPTION_MEASURE,
  BLIND_INDEX_MEASURE,
  AUDIT_MEASURE,
  MASKING_MEASURE,
  API_KEY_MEASURE,
  MINIMISATION_MEASURE,
  OUTBOUND_MEASURE,
  LOG_MEASURE,
];

export interface DataCategory {
  name: string;
  /** Where it is held and why. */
  description: string;
}

export interface ProcessingRecord {
  tenantId: string;
  tenantName: string;
  generatedAt: Date;
  purposes: Purpose[];
  dataCategories: DataCategory[];
  subprocessors: Subprocessor[];
  retentionPolicy: RetentionPolicy;
  securityMeasures: readonly string[];
}

export interface ProcessingRecordDeps {
  prisma: PrismaClient;
  plugins: PluginRegistry;
}

/** Recipient columns and the category each holds, when any recipient of the tenant has one. */
const RECIPIENT_CATEGORIES = {
  externalId: 'Customer reference (the tenant\'s external id)',
  name: 'Name',
  phone: 'Phone number',
  email: 'E-mail address',
  locale: 'Language preference',
  pushTokens: 'Push device tokens',
} as const;

const MESSAGE_CHANNELS: Record<Exclude<Channel, 'COUPON'>, string> = { SMS: 'SMS', EMAIL: 'e-mail', PUSH: 'push' };

export async function processingRecord(deps: ProcessingRecordDeps, tenantId: string, now = new Date()): Promise<ProcessingRecord> {
  const tenant = await deps.prisma.tenant.findUnique({
    where: { id: tenantId },
    select: {
      name: true,
      ...POLICY_SELECT,
      purposes: { orderBy: { key: 'asc' } },
      channelConfigs: { where: { enabled: true }, select: { channel: true }, distinct: ['channel'], orderBy: { channel: 'asc' } },
    },
  });
  if (!tenant) throw notFound('Tenant');
  const { name, purposes, channelConfigs, ...retentionPolicy } = tenant;
  return {
    tenantId,
    tenantName: name,
    generatedAt: now,
    purposes,
    dataCategories: await dataCategories(deps.prisma, tenantId, channelConfigs.map((c) => c.channel)),
    subprocessors: await listSubprocessors(deps, tenantId),
    retentionPolicy,
    securityMeasures: SECURITY_MEASURES,
  };
}

async function dataCategories(prisma: PrismaClient, tenantId: string, channels: Channel[]): Promise<DataCategory[]> {
  const [held] = await prisma.$queryRaw<Array<Record<keyof typeof RECIPIENT_CATEGORIES | 'consents' | 'gifts', number>>>`
    SELECT count(*)::int AS "externalId", count("nameEnc")::int AS "name", count("phoneEnc")::int AS "phone",
           count("emailEnc")::int AS "email", count("locale")::int AS "locale", count("pushTokensEnc")::int AS "pushTokens",
           (SELECT count(*)::int FROM "Consent" WHERE "tenantId" = ${tenantId}::uuid) AS "consents",
           (SELECT count(*)::int FROM "Gift" WHERE "tenantId" = ${tenantId}::uuid) AS "gifts"
    FROM "Recipient" WHERE "tenantId" = ${tenantId}::uuid`;
  const categories: DataCategory[] = [];
  for (const [field, category] of Object.entries(RECIPIENT_CATEGORIES) as Array<[keyof typeof RECIPIENT_CATEGORIES, string]>) {
    if (held![field] > 0) categories.push({ name: category, description: 'Recipient profile, encrypted at rest' });
  }
  if (held!.consents > 0) categories.push({ name: 'Consent history', description: 'Each grant and withdrawal with its source and proof, kept as evidence' });
  for (const channel of channels) {
    if (channel === 'COUPON') continue;
    categories.push({ name: `Messages (${MESSAGE_CHANNELS[channel]})`, description: 'Message content until the send retention period ends; delivery status and dates' });
  }
  if (held!.gifts > 0 || channels.includes('COUPON')) categories.push({ name: 'Gifts', description: 'Gift codes and links until the send retention period ends; offer and redemption status' });
  return categories;
}

/** What a subprocessor without a transfer mechanism needs: it processes inside the EU/EEA (contract.ts). */
const NO_TRANSFER = 'None needed (EU/EEA)';

/** A table cell: no line breaks, pipes escaped. */
export const cell = (value: string | null | undefined) => (value ?? '—').replace(/\s+/g, ' ').replace(/\|/g, '\\|');

export function processingRecordMarkdown(record: ProcessingRecord): string {
  const { retentionPolicy: policy } = record;
  const lines = [
    `# Record of processing activities: ${cell(record.tenantName)}`,
    '',
    `Controller: ${cell(record.tenantName)}. Kept under GDPR Art. 30(2) by the processor operating this platform; generated ${record.generatedAt.toISOString()} from the data held.`,
    '',
    '## Purposes and legal bases',
    '',
    ...(record.purposes.length ? ['| Purpose | Legal basis | Description |', '|---|---|---|', ...record.purposes.map((p) => `| ${cell(p.key)} | ${p.legalBasis} | ${cell(p.description)} |`)] : ['No purposes defined.']),
    '',
    '## Categories of personal data',
    '',
    ...(record.dataCategories.length ? ['| Category | Held as |', '|---|---|', ...record.dataCategories.map((c) => `| ${cell(c.name)} | ${cell(c.description)} |`)] : ['No personal data held.']),
    '',
    '## Subprocessors',
    '',
    ...(record.subprocessors.length
      ? ['| Subprocessor | Legal entity | Location | Transfer safeguard | Data categories |', '|---|---|---|---|---|', ...record.subprocessors.map(subprocessorRow)]
      : ['No enabled channels: no subprocessors.']),
    '',
    '## Retention periods',
    '',
    `- Message content, gift codes and links: ${policy.sendDataDays} days after the send`,
    `- Recipients without a send, a consent change or an update: erased after ${policy.inactiveRecipientDays} days`,
    `- Audit log: ${policy.auditLogDays} days`,
    '',
    '## Security measures',
    '',
    ...record.securityMeasures.map((measure) => `- ${measure}.`),
    '',
  ];
  return lines.join('\n');
}

const subprocessorRow = (s: Subprocessor) =>
  `| ${cell(s.name)} | ${cell(s.legalEntity)} | ${cell(s.location)} | ${cell(s.transferMechanism ?? NO_TRANSFER)} | ${cell(s.dataCategories.join(', '))} |`;

/** The operator-wide register for a public privacy page: the subprocessor of every installed plugin. */
export function subprocessorRegisterMarkdown(plugins: PluginRegistry): string {
  const lines = [
    '# Subprocessors',
    '',
    'The providers that may process personal data on behalf of this platform\'s tenants. A tenant uses only those of the channels it enables.',
    '',
    '| Subprocessor | Legal entity | Location | Transfer mechanism | Data categories | Purpose | Channels |',
    '|---|---|---|---|---|---|---|',
  ];
  const installed = plugins.list();
  for (const s of subprocessorsOf(plugins, installed.map((p) => p.id)).sort((a, b) => a.name.localeCompare(b.name))) {
    const channels = new Set(installed.filter((p) => subprocessorKey(p.subprocessor) === subprocessorKey(s)).map((p) => p.channel));
    lines.push(
      `| ${cell(s.name)} | ${cell(s.legalEntity)} | ${cell(s.location)} | ${cell(s.transferMechanism ?? NO_TRANSFER)} | ${cell(s.dataCategories.join(', '))} | ${cell(s.purpose)} | ${[...channels].sort().join(', ')} |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}
