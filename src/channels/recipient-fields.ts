import type { RecipientData, RecipientField } from './contract.ts';

/** For the records of processing (GDPR Art. 5(1)(c), 32). */
export const MINIMISATION_MEASURE = 'Each provider plugin receives only the recipient fields it declares it needs';

/** Hands a plugin only the recipient fields it declared (data minimisation, GDPR Art. 5(1)(c)). */
export function pickRecipientFields(recipient: RecipientData, fields: readonly RecipientField[]): RecipientData {
  const picked: RecipientData = {};
  for (const field of fields) {
    if (recipient[field] !== undefined) (picked as Record<string, unknown>)[field] = recipient[field];
  }
  return picked;
}
