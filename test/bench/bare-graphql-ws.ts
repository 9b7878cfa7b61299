// The baseline of the fanout benchmark: ws with graphql-ws and a schema of one subscription
// shaped like sendStatusChanged, fed from memory, nothing else. Listens on 127.0.0.1:$PORT.
// POST /publish {"tenantIds": [...], "eventsPerSecond": n, "seconds": s} publishes events at
// that rate, round robin over the tenants, each stamped with its publish time in `at`, and
// answers with the number published per tenant once done.
import { createServer } from 'node:http';
import { createPubSub } from '@graphql-yoga/subscription';
import { GraphQLID, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';

interface Event {
  status: string;
  at: string;
  providerAt: string | null;
  cursor: string;
  send: { id: string };
}

/** A send's statuses as the dev channel produces them; the last one is a provider report. */
const STATUSES = ['QUEUED', 'SENDING', 'SENT', 'DELIVERED'];

const pubSub = createPubSub<{ event: [tenantId: string, event: Event] }>();

const SendType = new GraphQLObjectType({ name: 'Send', fields: { id: { type: new GraphQLNonNull(GraphQLID) } } });
const EventType = new GraphQLObjectType({
  name: 'SendStatusEvent',
  fields: {
    status: { type: new GraphQLNonNull(GraphQLString) },
    at: { type: new GraphQLNonNull(GraphQLString) },
    providerAt: { type: GraphQLString },
    cursor: { type: new GraphQLNonNull(GraphQLString) },
    send: { type: new GraphQLNonNull(SendType) },
  },
});
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString, resolve: () => 'ok' } } }),
  subscription: new GraphQLObjectType({
    name: 'Subscription',
    fields: {
      sendStatusChanged: {
        type: new GraphQLNonNull(EventType),
        args: { tenantId: { type: new GraphQLNonNull(GraphQLID) } },
        subscribe: (_root, args: { tenantId: string }) => pubSub.subscribe('event', args.tenantId),
        resolve: (event: Event) => event,
      },
    },
  }),
});

/** Events published so far per tenant: positions, and which status comes next. */
const published = new Map<string, number>();

function publishOne(tenantId: string): void {
  const n = published.get(tenantId) ?? 0;
  published.set(tenantId, n + 1);
  const status = STATUSES[n % STATUSES.length]!;
  const at = new Date().toISOString();
  pubSub.publish('event', tenantId, {
    status,
    at,
    providerAt: status === 'DELIVERED' ? at : null,
    cursor: `${tenantId}:${n + 1}`,
    send: { id: `${tenantId}:send:${Math.floor(n / STATUSES.length)}` },
  });
}

/** Publishes what is due every millisecond or so, so the rate holds whatever the timer does. */
async function publishAtRate(tenantIds: string[], eventsPerSecond: number, seconds: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = Object.fromEntries(tenantIds.map((id) => [id, 0]));
  const total = Math.round(eventsPerSecond * seconds);
  const started = performance.now();
  let done = 0;
  while (done < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * eventsPerSecond) + 1);
    for (; done < due; done++) {
      const tenantId = tenantIds[done % tenantIds.length]!;
      publishOne(tenantId);
      counts[tenantId]!++;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return counts;
}

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/publish') {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const { tenantIds, eventsPerSecond, seconds } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { tenantIds: string[]; eventsPerSecond: number; seconds: number };
    void publishAtRate(tenantIds, eventsPerSecond, seconds).then((counts) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(counts)));
  });
});
useServer({ schema }, new WebSocketServer({ server, path: '/graphql' }));
server.listen(Number(process.env.PORT), '127.0.0.1');
