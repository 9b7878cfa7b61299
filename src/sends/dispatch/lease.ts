// A claim's lease, kept alive while its provider call runs. A slow provider must not make
// another worker take the send over mid-call (the provider may accept both calls: a duplicate
// message), so the lease is renewed every third of its length. Only when renewals fail for
// most of a lease (the database is away, the process stalls) or the claim was lost is the call
// aborted, so that a worker never goes on sending a send that another has taken over.
import type { SendClaims } from './claims.ts';

/** The share of a lease a call may run past the last renewal; the rest is margin for recording the outcome. */
const LEASE_USABLE = 0.8;

export interface HeldLease {
  /** Aborts with the outer signal, or when the lease lapses or is lost. */
  signal: AbortSignal;
  release(): void;
}

export function holdLease(claims: Pick<SendClaims, 'renew'>, claim: { id: string; attempts: number }, leaseMs: number, outer: AbortSignal): HeldLease {
  const controller = new AbortController();
  const abort = () => controller.abort();
  const usable = Math.floor(leaseMs * LEASE_USABLE);
  let deadline = setTimeout(abort, usable);
  outer.addEventListener('abort', abort, { once: true });
  const heartbeat = setInterval(() => {
    const startedAt = Date.now();
    claims.renew(claim.id, claim.attempts).then(
      (renewed) => {
        if (controller.signal.aborted) return;
        if (!renewed) return abort();
        clearTimeout(deadline);
        deadline = setTimeout(abort, Math.max(0, usable - (Date.now() - startedAt)));
      },
      // The database is away: the deadline stands.
      () => {},
    );
  }, Math.max(30, Math.floor(leaseMs / 3)));
  return {
    signal: controller.signal,
    release() {
      clearTimeout(deadline);
      clearInterval(heartbeat);
      outer.removeEventListener('abort', abort);
    },
  };
}
