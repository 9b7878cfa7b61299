// The recipient's address a plugin cannot do without, checked before the provider is called:
// a missing or malformed one is a permanent 'invalid_recipient', worded without the value.
import { z } from 'zod';
import { ProviderError, type RecipientData } from '../contract.ts';

/** E.164: '+', a country code not starting with 0, 7 to 15 digits in all. */
export const E164 = /^\+[1-9]\d{6,14}$/;

const email = z.email();

const invalid = (what: string) => new ProviderError(`recipient has no valid ${what}`, { retryable: false, reason: 'invalid_recipient' });

export function requirePhone(to: RecipientData): string {
  if (!to.phone || !E164.test(to.phone)) throw invalid('E.164 phone number');
  return to.phone;
}

export function isEmailAddress(value: string | null | undefined): value is string {
  return typeof value === 'string' && email.safeParse(value).success;
}

export function requireEmail(to: RecipientData): string {
  if (!isEmailAddress(to.email)) throw invalid('e-mail address');
  return to.email;
}

/** The recipient's distinct, non-blank push tokens; at least one. */
export function requirePushTokens(to: RecipientData): string[] {
  const tokens = [...new Set((to.pushTokens ?? []).filter((t) => typeof t === 'string' && t.trim() !== ''))];
  if (tokens.length === 0) throw invalid('push token');
  return tokens;
}
