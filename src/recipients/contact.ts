// Phone numbers and e-mail addresses: validation, normalisation (what the blind index
// hashes) and the masked forms shown to roles that may not see them in full.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';

/** E.164 (+46701234567) or null when the number cannot be a real one. */
export function normalisePhone(raw: string, defaultCountry: string): string | null {
  if (raw.length > 64) return null;
  const parsed = parsePhoneNumberFromString(raw, defaultCountry as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}

const emailSchema = z.email();

/** Lower-cased, trimmed address, or null when it is not an address. */
export function normaliseEmail(raw: string): string | null {
  const value = raw.trim().toLowerCase();
  return value.length <= 254 && emailSchema.safeParse(value).success ? value : null;
}

/** +46 70*** **67: country code and the ends of the number, nothing more. */
export function maskPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  const national = parsed?.nationalNumber ?? e164.replace(/^\+/, '');
  const cc = parsed ? `+${parsed.countryCallingCode} ` : '';
  return `${cc}${national.slice(0, 2)}*** **${national.slice(-2)}`;
}

/** a***@example.com */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at > 0 ? `${email[0]}***${email.slice(at)}` : '***';
}

/** A*** */
export function maskName(name: string): string {
  return `${name.trim()[0] ?? ''}***`;
}

/** ab***: enough to tell ids apart on a screen, not to look one up elsewhere. */
export function maskId(value: string): string {
  return `${value.slice(0, 2)}***`;
}
