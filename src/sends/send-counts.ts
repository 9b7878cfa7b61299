// How many sends are in each status, by channel and provider, over every tenant: what an
// operator's dashboard shows. Read from the database, the source of truth, when /metrics is
// scraped, so every process reports the same figures whichever one dispatched.
import type { PrismaClient } from '../db/client.ts';

export interface SendCount {
  channel: string;
  /** The plugin id; null while no provider was tried yet. */
  provider: string | null;
  status: string;
  count: number;
}

export async function countSends(prisma: PrismaClient): Promise<SendCount[]> {
  const rows = await prisma.$queryRawUnsafe<Array<{ channel: string; provider: string | null; status: string; count: number }>>(
    `SELECT "channel"::text AS "channel", "provider", "status"::text AS "status", count(*)::int AS "count" FROM "Send" GROUP BY 1, 2, 3`,
  );
  return rows;
}
