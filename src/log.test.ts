// What reaches a log line of an error: enough to act on, nothing a message could smuggle in.
import { describe, expect, it } from 'vitest';
import { errorFields } from './log.ts';

describe('errorFields', () => {
  it('keeps the system call and message of a network error, which name only an address', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6390'), { code: 'ECONNREFUSED', syscall: 'connect' });
    expect(errorFields(refused)).toEqual({ type: 'Error', code: 'ECONNREFUSED', syscall: 'connect', reason: 'connect ECONNREFUSED 127.0.0.1:6390' });
  });

  it('keeps only type and code of database and other errors, whose messages can echo values', () => {
    const unique = Object.assign(new Error('Unique constraint failed on "+46701234567"'), { name: 'PrismaClientKnownRequestError', code: 'P2002' });
    expect(errorFields(unique)).toEqual({ type: 'PrismaClientKnownRequestError', code: 'P2002' });
    expect(errorFields(new TypeError('cannot read anna@example.com'))).toEqual({ type: 'TypeError' });
    expect(errorFields('boom')).toEqual({ type: 'string' });
  });
});
