// What every resolver receives: the service, the caller, and the request's own caches.
import type { App } from '../app.ts';
import type { Principal } from '../auth/principal.ts';
import type { RequestReads } from '../privacy/audit.ts';
import type { PersonalViewCache } from '../recipients/personal-view.ts';
import type { campaignStatsLoader } from '../sends/campaign-stats.ts';

export interface Context {
  app: App;
  principal: Principal | null;
  /** The caller's credentials checked again (open subscriptions end on a revoked key or an expired token). */
  reauthenticate(): Promise<Principal | null>;
  requestId: string;
  /** Decrypted recipients of this request: one decryption and one audit event each. */
  personalViews: PersonalViewCache;
  /** Clear reads of personal data this request recorded (the response cache records them again). */
  reads: RequestReads;
  campaignStats: ReturnType<typeof campaignStatsLoader>;
}

/** What reading personal data needs: the tenant keys, and this request's read audit. */
export const personalDataDeps = (ctx: Pick<Context, 'app' | 'reads'>) => ({ tenantKeys: ctx.app.tenantKeys, auditReads: ctx.reads });
