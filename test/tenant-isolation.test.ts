// Walks every Query and Mutation field of the schema as each role of tenant B, aimed at
// tenant A's resources, and expects FORBIDDEN or NOT_FOUND. A new field that is not
// tenant-scoped must be listed below with its reason; one whose rule lets another tenant
// in fails here (one with no rule at all stops the schema from building).
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../src/schema/index.ts';
import { createTestApp, errorCodes, ok, seedTenant, type SeedRole, type TestApp } from './helpers.ts';

/** Fields any authenticated principal may call: they read only the caller or platform data. */
const NOT_TENANT_SCOPED: Record<string, string> = {
  'Query.viewer': 'describes the caller itself',
  'Query.channelPlugins': 'the installed plugin catalogue: no tenant data',
};

let t: TestApp;
let a: Awaited<ReturnType<typeof seedTenant>>;
let b: Awaited<ReturnType<typeof seedTenant>>;
/** Tenant A's resources by GraphQL type: the targets of every id argument. */
let targets: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  a = await seedTenant(t, 'Tenant A');
  b = await seedTenant(t, 'Tenant B');
  const recipient = ok(
    await t.exec(`mutation($t: ID!) { upsertRecipient(input: { tenantId: $t, externalId: "a-1", phone: "+46701234567" }) { id } }`, { t: a.id }),
  ) as { upsertRecipient: { id: string } };
  const recipientId = recipient.upsertRecipient.id;
  // A scheduled send and a campaign of tenant A, created the way tenant A would.
  ok(await t.exec(`mutation($t: ID!) { definePurpose(input: { tenantId: $t, key: "receipts", legalBasis: CONTRACT }) { key } }`, { t: a.id }));
  ok(await t.exec(`mutation($t: ID!) { configureChannel(input: { tenantId: $t, pluginId: "dev-sms", config: {} }) { id } }`, { t: a.id }));
  const later = new Date(Date.now() + 86_400_000).toISOString();
  const send = ok(
    await t.exec(`mutation($r: ID!, $at: DateTime) { createSend(input: { recipientId: $r, channel: SMS, purpose: "receipts", message: { body: "x" }, scheduledAt: $at }) { id } }`, { r: recipientId, at: later }),
  ) as { createSend: { id: string } };
  const campaign = ok(
    await t.exec(`mutation($t: ID!, $at: DateTime) { createCampaign(input: { tenantId: $t, name: "c", channel: SMS, purpose: "receipts", message: { body: "x" }, scheduledAt: $at }) { id } }`, { t: a.id, at: later }),
  ) as { createCampaign: { id: string } };
  const request = ok(
    await t.exec(`mutation($r: ID!) { requestDataSubjectAction(input: { recipientId: $r, kind: ACCESS }) { id } }`, { r: recipientId }),
  ) as { requestDataSubjectAction: { id: string } };
  const endpoint = ok(
    await t.exec(`mutation($t: ID!) { createWebhookEndpoint(input: { tenantId: $t, url: "http://127.0.0.1:9/hooks" }) { endpoint { id } } }`, { t: a.id }),
  ) as { createWebhookEndpoint: { endpoint: { id: string } } };
  const endpointId = endpoint.createWebhookEndpoint.endpoint.id;
  const delivery = ok(await t.exec(`mutation($e: ID!) { sendTestWebhook(endpointId: $e) { id } }`, { e: endpointId })) as { sendTestWebhook: { id: string } };
  targets = {
    Tenant: a.id,
    ApiKey: a.keyIds.SENDER,
    Recipient: recipientId,
    Node: recipientId,
    Send: send.createSend.id,
    Campaign: campaign.createCampaign.id,
    DataSubjectRequest: request.requestDataSubjectAction.id,
    WebhookEndpoint: endpointId,
    WebhookDelivery: delivery.sendTestWebhook.id,
  };
});
afterAll(() => t.close());

function idFor(argName: string, returnType: string): string {
  const byName: Record<string, string> = {
    tenantId: 'Tenant',
    recipientId: 'Recipient',
    sendId: 'Send',
    campaignId: 'Campaign',
    endpointId: 'WebhookEndpoint',
    deliveryId: 'WebhookDelivery',
  };
  const type = byName[argName] ?? returnType;
  const id = targets[type];
  if (!id) throw new Error(`no tenant-A fixture for an id of ${type} (argument ${argName}): add one to targets`);
  return id;
}

function literal(type: GraphQLInputType, argName: string, returnType: string): string {
  if (isNonNullType(type)) return literal(type.ofType, argName, returnType);
  if (isListType(type)) return `[${literal(type.ofType, argName, returnType)}]`;
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields())
      .filter((f) => isNonNullType(f.type) || f.name.endsWith('Id'))
      .map((f) => `${f.name}: ${literal(f.type, f.name, returnType)}`);
    return `{ ${fields.join(', ')} }`;
  }
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return JSON.stringify(idFor(argName, returnType));
      case 'Int':
        return '1';
      case 'Boolean':
        return 'true';
      case 'DateTime':
        return JSON.stringify(new Date(Date.now() + 3_600_000).toISOString());
      case 'JSON':
        return '{}';
      default:
        return '"probe"';
    }
  }
  throw new Error(`unhandled input type ${String(type)}`);
}

/** Fields whose `id` argument names something other than what they return. */
const ID_TARGET_OF_FIELD: Record<string, string> = {
  deleteWebhookEndpoint: 'WebhookEndpoint',
  rotateWebhookSecret: 'WebhookEndpoint',
  createWebhookEndpoint: 'WebhookEndpoint',
};

function operationFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): string {
  const returnType = getNamedType(field.type);
  const idTarget = ID_TARGET_OF_FIELD[field.name] ?? returnType.name;
  const args = field.args
    .filter((arg: GraphQLArgument) => isNonNullType(arg.type) || arg.name.endsWith('Id'))
    .map((arg) => `${arg.name}: ${literal(arg.type, arg.name, idTarget)}`);
  const selection = isScalarType(returnType) || isEnumType(returnType) ? '' : '{ __typename }';
  return `${kind} { ${field.name}${args.length ? `(${args.join(', ')})` : ''} ${selection} }`;
}

const roots = [
  ['query', schema.getQueryType()!],
  ['mutation', schema.getMutationType()!],
] as const;

describe('every root field refuses another tenant', () => {
  for (const [kind, root] of roots) {
    for (const field of Object.values(root.getFields())) {
      const name = `${root.name}.${field.name}`;
      if (NOT_TENANT_SCOPED[name]) continue;
      it(name, async () => {
        const operation = operationFor(kind, field);
        for (const role of ['TENANT_ADMIN', 'SENDER', 'VIEWER', 'DPO'] as SeedRole[]) {
          const res = await t.exec(operation, {}, b.keys[role]);
          expect(errorCodes(res), `${role}: ${operation} -> ${JSON.stringify(res.errors)}`).toEqual([expect.stringMatching(/^(FORBIDDEN|NOT_FOUND)$/)]);
          expect((res.data as Record<string, unknown> | null)?.[field.name] ?? null).toBeNull();
        }
      });
    }
  }

  it('lists a reason for each field that is not tenant-scoped, and those fields exist', () => {
    for (const name of Object.keys(NOT_TENANT_SCOPED)) {
      const [type, field] = name.split('.') as [string, string];
      expect(schema.getType(type) && (schema.getType(type) as { getFields(): Record<string, unknown> }).getFields()[field], name).toBeTruthy();
    }
  });

  it("leaves tenant A's data untouched", async () => {
    const res = ok(await t.exec(`{ viewer { memberships { role tenant { name } } } }`, {}, a.keys.SENDER)) as {
      viewer: { memberships: Array<{ role: string; tenant: { name: string } }> };
    };
    expect(res.viewer.memberships).toEqual([{ role: 'SENDER', tenant: { name: 'Tenant A' } }]);
    const purposes = ok(await t.exec(`query($id: ID!) { tenant(id: $id) { purposes { key } } }`, { id: a.id }, a.keys.TENANT_ADMIN)) as {
      tenant: { purposes: unknown[] };
    };
    expect(purposes.tenant.purposes).toEqual([{ key: 'receipts' }]);
    const send = ok(await t.exec(`query($id: ID!) { send(id: $id) { status events { status } } }`, { id: targets.Send }, a.keys.VIEWER)) as {
      send: { status: string; events: unknown[] };
    };
    expect(send.send).toEqual({ status: 'QUEUED', events: [{ status: 'QUEUED' }] });
  });
});
