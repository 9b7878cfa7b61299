// schema.graphql is printed from the Pothos schema and must be committed fresh, and it
// must keep the public contract: nothing the contract declares may change type or shape.
import { readFileSync } from 'node:fs';
import { BreakingChangeType, buildSchema, findBreakingChanges } from 'graphql';
import { describe, expect, it } from 'vitest';
import { printedSchema } from '../src/schema/print.ts';

const committed = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');
const contractFile = new URL('./contract/schema.graphql', import.meta.url);

/** Contract parts this service implements so far: each must be there in full. */
const IMPLEMENTED = [
  'Node', 'PageInfo', 'Role', 'LegalBasis', 'Viewer', 'Membership', 'ApiKey', 'CreateApiKeyPayload', 'Purpose',
  'AuditEvent', 'AuditEventConnection', 'AuditEventEdge', 'TenantConnection', 'TenantEdge',
  'CreateTenantInput', 'CreateApiKeyInput', 'DefinePurposeInput',
  'Query.node', 'Query.viewer', 'Query.tenant', 'Query.tenants',
  'Mutation.createTenant', 'Mutation.createApiKey', 'Mutation.revokeApiKey', 'Mutation.definePurpose',
  'Tenant.id', 'Tenant.name', 'Tenant.createdAt', 'Tenant.purposes', 'Tenant.auditLog',
  'Consent', 'RecipientConnection', 'RecipientEdge', 'UpsertRecipientInput', 'RecordConsentInput', 'WithdrawConsentInput',
  'Query.recipient', 'Mutation.upsertRecipient', 'Mutation.recordConsent', 'Mutation.withdrawConsent', 'Tenant.recipients',
  'Recipient.id', 'Recipient.tenant', 'Recipient.externalId', 'Recipient.name', 'Recipient.phone', 'Recipient.email',
  'Recipient.locale', 'Recipient.consents', 'Recipient.restricted', 'Recipient.objected', 'Recipient.createdAt', 'Recipient.updatedAt',
  'Channel', 'ChannelPlugin', 'Subprocessor', 'ChannelConfig', 'ConfigureChannelInput',
  'Query.channelPlugins', 'Query.subprocessors', 'Mutation.configureChannel', 'Tenant.channels',
  'SendStatus', 'GiftStatus', 'Send', 'SendConnection', 'SendEdge', 'SendEvent', 'Gift', 'Campaign', 'CampaignStats',
  'CampaignConnection', 'CampaignEdge', 'MessageInput', 'GiftInput', 'CreateSendInput', 'CreateCampaignInput',
  'Query.send', 'Mutation.createSend', 'Mutation.createCampaign', 'Mutation.cancelSend',
  'Recipient.sends', 'Tenant.sends', 'Tenant.campaigns',
  'DataSubjectRequestKind', 'DataSubjectRequestStatus', 'DataSubjectRequest', 'DataSubjectRequestConnection', 'DataSubjectRequestEdge',
  'DataSubjectActionInput', 'Mutation.requestDataSubjectAction', 'Tenant.dataSubjectRequests',
  'RetentionPolicy', 'UpdateRetentionPolicyInput', 'Mutation.updateRetentionPolicy', 'Tenant.retentionPolicy',
  'SendStatusEvent', 'Subscription.sendStatusChanged',
];

describe('schema.graphql', () => {
  it('is what npm run schema:print writes', () => {
    expect(committed).toBe(printedSchema());
  });

  it('has no breaking change against the contract for the parts implemented', () => {
    const contract = buildSchema(readFileSync(contractFile, 'utf8'));
    const ours = buildSchema(committed);
    const changes = findBreakingChanges(contract, ours);
    const notYetBuilt = (c: { type: string; description: string }) => {
      if (c.type !== BreakingChangeType.TYPE_REMOVED && c.type !== BreakingChangeType.FIELD_REMOVED) return false;
      const m = /^(\w+)(?:\.(\w+))? was removed\.$/.exec(c.description);
      return !!m && !IMPLEMENTED.includes(m[1]!) && !IMPLEMENTED.includes(`${m[1]}.${m[2]}`);
    };
    expect(changes.filter((c) => !notYetBuilt(c)).map((c) => c.description)).toEqual([]);
  });
});
