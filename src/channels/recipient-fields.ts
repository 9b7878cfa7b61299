import type { RecipientData, RecipientField } from './contract.ts';

/** Hands a plugin only the recipient fields it declared (data minimisation, GDPR Art. 5(1)(c)). */
export function pickRecipientFields(recipient: RecipientData, fields: readonly RecipientField[]): RecipientData {
  const picked: RecipientData = {};
  for (const field of fields) {
    if (recipient[field] !== undefined) (picked as Record<string, unknown>)[field] = recipient[field];
  }
  return picked;
}
