// Following one tenant's event log, for a subscriber: the backlog after a position first, then
// live events as the bus wakes the reader, with no gap and no duplicate (the reader subscribes
// to the bus before its first read, and only ever reads after the last position it has read).
// Events are read ahead into a bounded buffer, so a subscriber's memory is bounded whatever the
// writers do; one that takes nothing from a full buffer for a while (a stalled connection) is
// ended with a clear error and resumes from its cursor. Writers never wait on readers.
import { Repeater } from '@graphql-yoga/subscription';
import type { SubscriptionSettings } from '../config.ts';
import type { PrismaClient } from '../db/client.ts';
import { AppError, notFound } from '../errors.ts';
import type { Metrics } from '../metrics.ts';
import { UNKNOWN_POSITION, type EventBus } from './bus.ts';
import { encodeCursor, headPosition, MAX_READ, positionOf, type EventReader, type LoggedEvent } from './log.ts';

export interface FollowDeps {
  prisma: PrismaClient;
  /** The log's pages, shared between subscribers (sharedEventReader). */
  readEvents: EventReader;
  events: Pick<EventBus, 'subscribe'>;
  settings: SubscriptionSettings;
  metrics: Pick<Metrics, 'subscriberFellBehind'>;
}

export interface FollowRequest {
  tenantId: string;
  /** Resume after this position (the backlog comes first); null: live events only, from now. */
  after: bigint | null;
  sendId?: string;
  campaignId?: string;
  /** Rejects (with an AppError) once the subscriber may no longer follow; asked every `recheckMs`. */
  recheck(): Promise<void>;
}

/** Ends a subscriber that fell behind; its message names the cursor to resume from. */
function fellBehind(settings: SubscriptionSettings, resumeCursor: string | null): AppError {
  const resume = resumeCursor ? `subscribe again with after: "${resumeCursor}"` : 'subscribe again with the `after` cursor of the last event received';
  return new AppError(
    'RATE_LIMITED',
    `The subscriber fell behind: its ${settings.bufferEvents} buffered events (SUBSCRIPTION_BUFFER_EVENTS) were not taken for ${settings.stallMs} ms (SUBSCRIPTION_STALL_MS); ${resume} to resume without loss`,
  );
}

/** True if `signal` fires within `ms`. */
async function within(signal: Signal, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([signal.wait().then(() => true as const), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** A wake-up that can be awaited; notifying before anyone waits is kept until the next wait. */
class Signal {
  private pending = false;
  private resolve: (() => void) | null = null;

  notify(): void {
    if (this.resolve) {
      const resolve = this.resolve;
      this.resolve = null;
      resolve();
    } else this.pending = true;
  }

  wait(): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => (this.resolve = resolve));
  }
}

/** The tenant's events, as a stream that ends with an error on lag, denial or a failed read. */
export function followEvents(deps: FollowDeps, req: FollowRequest): AsyncIterableIterator<LoggedEvent> {
  const { bufferEvents, recheckMs, stallMs } = deps.settings;
  return new Repeater<LoggedEvent>(async (push, stop) => {
    const buffer: LoggedEvent[] = [];
    const readerWake = new Signal();
    const senderWake = new Signal();
    const taken = new Signal();
    let stopped = false;
    // Positions up to `target` are committed (writers publish after commit): once a read comes
    // back short, the reader has seen everything up to it, filtered out or not.
    let target = 0n;
    let dirty = req.after !== null;
    let read = req.after ?? 0n;
    let delivered: string | null = req.after === null ? null : encodeCursor(req.tenantId, req.after);
    const end = (err?: unknown) => {
      if (stopped) return;
      stopped = true;
      stop(err);
      readerWake.notify();
      senderWake.notify();
      taken.notify();
    };

    const unsubscribe = deps.events.subscribe(req.tenantId, (position) => {
      if (position !== UNKNOWN_POSITION && position > target) target = position;
      if (position === UNKNOWN_POSITION || position > read) {
        dirty = true;
        readerWake.notify();
      }
    });
    const recheck = setInterval(() => void req.recheck().catch(end), recheckMs);
    recheck.unref();

    const reader = async () => {
      if (req.after === null) read = await headPosition(deps.prisma, req.tenantId);
      while (!stopped) {
        if (!dirty) {
          await readerWake.wait();
          continue;
        }
        const room = bufferEvents - buffer.length;
        if (room === 0) {
          // Full while more waits: the subscriber must take something soon, or it has stalled.
          if (!(await within(taken, stallMs))) {
            deps.metrics.subscriberFellBehind();
            return end(fellBehind(deps.settings, delivered));
          }
          continue;
        }
        dirty = false;
        const seenUpTo = target;
        const limit = Math.min(MAX_READ, room);
        const page = await deps.readEvents({ tenantId: req.tenantId, after: read, limit, sendId: req.sendId, campaignId: req.campaignId });
        if (stopped) return;
        if (page.length) {
          buffer.push(...page);
          read = page.at(-1)!.position;
          senderWake.notify();
        }
        if (page.length === limit) dirty = true;
        else if (seenUpTo > read) read = seenUpTo;
      }
    };

    const sender = async () => {
      while (!stopped) {
        const next = buffer.shift();
        if (!next) {
          await senderWake.wait();
          continue;
        }
        // Resolves once the transport has taken the event: one in flight per subscriber.
        await push(next);
        delivered = next.cursor;
        taken.notify();
      }
    };

    void reader().catch(end);
    void sender().catch(end);
    await stop;
    stopped = true;
    unsubscribe();
    clearInterval(recheck);
    readerWake.notify();
    senderWake.notify();
  });
}

export interface SendStatusRequest {
  tenantId: string;
  sendId?: string | null;
  campaignId?: string | null;
  /** A cursor of an earlier event of this tenant; null: live events only. */
  after?: string | null;
  recheck(): Promise<void>;
}

/**
 * Checks a subscription's arguments before anything streams (an unknown tenant, send or
 * campaign, or one of another tenant, is NOT_FOUND; a cursor that is not one of this tenant's
 * is BAD_USER_INPUT), then follows the log.
 */
export async function followSendStatus(deps: FollowDeps, req: SendStatusRequest): Promise<AsyncIterableIterator<LoggedEvent>> {
  const after = req.after == null ? null : positionOf(req.after, req.tenantId);
  const tenant = await deps.prisma.tenant.findUnique({ where: { id: req.tenantId }, select: { id: true } });
  if (!tenant) throw notFound('Tenant');
  if (req.sendId && !(await deps.prisma.send.findFirst({ where: { id: req.sendId, tenantId: req.tenantId }, select: { id: true } }))) throw notFound('Send');
  if (req.campaignId && !(await deps.prisma.campaign.findFirst({ where: { id: req.campaignId, tenantId: req.tenantId }, select: { id: true } }))) throw notFound('Campaign');
  return followEvents(deps, { tenantId: req.tenantId, after, sendId: req.sendId ?? undefined, campaignId: req.campaignId ?? undefined, recheck: req.recheck });
}
