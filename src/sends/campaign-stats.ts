// Campaign counts by status, for any number of campaigns in one query (a page of campaigns
// costs the same as one).
import DataLoader from 'dataloader';
import type { PrismaClient } from '../db/client.ts';
import type { SendStatus } from '../db/generated/enums.ts';

export interface CampaignStats {
  total: number;
  queued: number;
  sent: number;
  delivered: number;
  failed: number;
  blocked: number;
  canceled: number;
  giftsRedeemed: number;
}

const FIELD: Record<SendStatus, Exclude<keyof CampaignStats, 'total' | 'giftsRedeemed'>> = {
  // A send being handed over is still waiting as far as the campaign's owner is concerned.
  QUEUED: 'queued',
  SENDING: 'queued',
  SENT: 'sent',
  DELIVERED: 'delivered',
  FAILED: 'failed',
  BLOCKED: 'blocked',
  CANCELED: 'canceled',
};

const empty = (): CampaignStats => ({ total: 0, queued: 0, sent: 0, delivered: 0, failed: 0, blocked: 0, canceled: 0, giftsRedeemed: 0 });

export async function campaignStats(prisma: PrismaClient, campaignIds: readonly string[]): Promise<Map<string, CampaignStats>> {
  const rows = await prisma.$queryRaw<Array<{ campaignId: string; status: SendStatus; sends: number; redeemed: number }>>`
    SELECT s."campaignId", s."status"::text AS "status", count(*)::int AS "sends", count(g."id") FILTER (WHERE g."status" = 'REDEEMED')::int AS "redeemed"
    FROM "Send" s LEFT JOIN "Gift" g ON g."sendId" = s."id"
    WHERE s."campaignId" = ANY(${[...campaignIds]}::uuid[])
    GROUP BY s."campaignId", s."status"`;
  const stats = new Map(campaignIds.map((id) => [id, empty()]));
  for (const row of rows) {
    const s = stats.get(row.campaignId)!;
    s.total += row.sends;
    s[FIELD[row.status]] += row.sends;
    s.giftsRedeemed += row.redeemed;
  }
  return stats;
}

/** Per request: every Campaign.stats of one response in one query. */
export const campaignStatsLoader = (prisma: PrismaClient) =>
  new DataLoader<string, CampaignStats>(async (ids) => {
    const stats = await campaignStats(prisma, ids);
    return ids.map((id) => stats.get(id)!);
  });
