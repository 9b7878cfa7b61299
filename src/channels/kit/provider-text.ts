// Provider wording made fit for our error messages. Providers often quote the recipient
// ("The 'To' number +46… is not valid"), so only codes are kept, or free text with every
// number and address taken out.
import type { ProviderResponse } from './http.ts';

/** An enum-like name (letters first) or a small number: a code, never free text that could quote someone. */
const CODE = /^[A-Za-z][\w.[\]-]{0,79}$/;

/** The value when it is a code, else undefined. */
export function codeOf(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value < 1_000_000 ? String(value) : undefined;
  return typeof value === 'string' && CODE.test(value) ? value : undefined;
}

/** The code in `field` of a JSON error answer, if the answer is JSON and the field holds one. */
export function errorCode(res: ProviderResponse, field: string): string | undefined {
  try {
    const body = JSON.parse(res.text) as Record<string, unknown> | null;
    return codeOf(body?.[field]);
  } catch {
    return undefined;
  }
}

/** Short free text (markup dropped) without anything that looks like a number or an address. */
export function scrubText(text: string, maxLength = 80): string {
  return text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\S+@\S+/g, '[address]')
    .replace(/\+?\d[\d\s-]{4,}\d/g, '[number]')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, maxLength);
}
