// Input validation for domain modules: zod schemas, failures as BAD_USER_INPUT naming the field.
import { z } from 'zod';
import { AppError } from './errors.ts';

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join('.') || 'input';
  throw new AppError('BAD_USER_INPUT', `${field}: ${issue.message}`, { field });
}

/** A bounded, trimmed, non-empty text field. */
export const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
