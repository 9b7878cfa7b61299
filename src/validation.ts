// Input validation for domain modules: zod schemas, failures as BAD_USER_INPUT naming the field.
import { z } from 'zod';
import { AppError } from './errors.ts';

/** The path of the first text holding a NUL character, which PostgreSQL cannot store in text. */
function nulPath(value: unknown, path: string[]): string[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = nulPath(item, [...path, String(i)]);
      if (found) return found;
    }
  } else if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) {
      const found = nulPath(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/** Parses `input`; a failure names the field, after `prefix` (e.g. 'recipients.12.') for items of a list. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const nul = nulPath(input, []);
  if (nul) {
    const field = `${prefix}${nul.join('.')}` || 'input';
    throw new AppError('BAD_USER_INPUT', `${field}: must not contain NUL characters (\\u0000)`, { field });
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = `${prefix}${issue.path.map(String).join('.')}` || 'input';
  throw new AppError('BAD_USER_INPUT', `${field}: ${issue.message}`, { field });
}

/** A bounded, trimmed, non-empty text field. */
export const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
