// Every cell of the legal-basis table.
import { describe, expect, it } from 'vitest';
import type { LegalBasis } from '../db/generated/enums.ts';
import { decide, type ContactFacts } from './consent.ts';

const BASES: LegalBasis[] = ['CONSENT', 'CONTRACT', 'LEGITIMATE_INTEREST', 'LEGAL_OBLIGATION'];
const CONSENTS = {
  none: null,
  granted: { granted: true, withdrawnAt: null },
  withdrawn: { granted: false, withdrawnAt: new Date('2026-01-01') },
} as const;

function expected(basis: LegalBasis, consent: keyof typeof CONSENTS, restricted: boolean, objected: boolean): string {
  if (restricted) return 'PROCESSING_RESTRICTED';
  if (basis === 'CONSENT') return consent === 'granted' ? 'ALLOWED' : 'CONSENT_REQUIRED';
  if (basis === 'LEGITIMATE_INTEREST') return objected ? 'RECIPIENT_OBJECTED' : 'ALLOWED';
  return 'ALLOWED';
}

describe('decide', () => {
  for (const basis of BASES) {
    for (const consent of Object.keys(CONSENTS) as Array<keyof typeof CONSENTS>) {
      for (const restricted of [false, true]) {
        for (const objected of [false, true]) {
          const want = expected(basis, consent, restricted, objected);
          it(`${basis}, consent ${consent}, restricted=${restricted}, objected=${objected} -> ${want}`, () => {
            const facts: ContactFacts = { legalBasis: basis, purpose: 'p', channel: 'SMS', restricted, objected, consent: CONSENTS[consent] };
            const decision = decide(facts);
            expect(decision.allowed ? 'ALLOWED' : decision.code).toBe(want);
            if (!decision.allowed) expect(decision.reason.length).toBeGreaterThan(10);
          });
        }
      }
    }
  }

  it('says whether consent was missing or withdrawn', () => {
    const base = { legalBasis: 'CONSENT', purpose: 'news', channel: 'EMAIL', restricted: false, objected: false } as const;
    expect(decide({ ...base, consent: null })).toMatchObject({ reason: 'No consent recorded for EMAIL / news' });
    expect(decide({ ...base, consent: CONSENTS.withdrawn })).toMatchObject({ reason: 'Consent for EMAIL / news was withdrawn' });
  });
});
