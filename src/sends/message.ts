// Message content: validated at creation, stored sealed with the tenant's data key, and
// filled in per recipient only at dispatch, so the database never holds it in clear.
import { z } from 'zod';
import { badInput } from '../errors.ts';
import { decryptField, encryptField, type TenantKeys } from '../privacy/tenant-keys.ts';

/** Long enough for any e-mail body; SMS plugins split or refuse by their own limits. */
const MAX_BODY = 100_000;
/** RFC 5322 line limit, also plenty for a push title. */
const MAX_SUBJECT = 998;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const KNOWN_PLACEHOLDERS = new Set(['name', 'gift.url', 'gift.code']);

export const messageInput = z.object({
  subject: z.string().max(MAX_SUBJECT, `must be at most ${MAX_SUBJECT} characters`).nullish(),
  body: z.string().min(1, 'must not be empty').max(MAX_BODY, `must be at most ${MAX_BODY} characters`),
});

export interface Message {
  subject?: string | null;
  body: string;
}

/** Refuses placeholders other than {{name}}, {{gift.url}} and {{gift.code}}, and gift ones without a gift. */
export function checkPlaceholders(message: Message, hasGift: boolean): void {
  for (const [field, value] of [['message.subject', message.subject], ['message.body', message.body]] as const) {
    for (const match of (value ?? '').matchAll(PLACEHOLDER)) {
      const name = match[1]!;
      if (!KNOWN_PLACEHOLDERS.has(name)) throw badInput(field, `unknown placeholder {{${name}}}; use {{name}}, {{gift.url}} or {{gift.code}}`);
      if (name.startsWith('gift.') && !hasGift) throw badInput(field, `{{${name}}} needs a gift in the input`);
    }
  }
}

export interface TemplateValues {
  name?: string | null;
  gift?: { code?: string | null; url?: string | null } | null;
}

/** Fills the placeholders; a missing value becomes an empty string rather than a literal {{...}}. */
export function render(template: string, values: TemplateValues): string {
  return template.replace(PLACEHOLDER, (_all, name: string) => {
    if (name === 'name') return values.name ?? '';
    if (name === 'gift.url') return values.gift?.url ?? '';
    if (name === 'gift.code') return values.gift?.code ?? '';
    return '';
  });
}

const messageContext = (owner: 'Send' | 'Campaign', id: string) => `${owner}:${id}:message`;

export function sealMessage(keys: TenantKeys, owner: 'Send' | 'Campaign', id: string, message: Message): Uint8Array<ArrayBuffer> {
  return encryptField(keys, JSON.stringify({ subject: message.subject ?? null, body: message.body }), messageContext(owner, id));
}

export function openMessage(keys: TenantKeys, owner: 'Send' | 'Campaign', id: string, sealed: Uint8Array): Message {
  return JSON.parse(decryptField(keys, sealed, messageContext(owner, id))) as Message;
}
