// What reaches a log line of an error: enough to act on, nothing a message could smuggle in.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, errorFields } from './log.ts';

/** The JSON lines a logger writes for `fields`. */
function logged(fields: Record<string, unknown>): Record<string, unknown> {
  const lines: string[] = [];
  createLogger('info', new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) })).info(fields, 'line');
  return JSON.parse(lines[0]!);
}

describe('redaction by field name', () => {
  it('censors a listed field at any depth, in objects and arrays, and leaves the caller’s object as it was', () => {
    const fields = { requestId: 'r1', sends: [{ id: 's1', recipient: { phone: '+46701234567', name: 'Anna' } }], nested: { deeper: { headers: { authorization: 'Bearer x' } } } };
    const line = logged(fields);
    expect(line.sends).toEqual([{ id: 's1', recipient: { phone: '[redacted]', name: '[redacted]' } }]);
    expect(line.nested).toEqual({ deeper: { headers: { authorization: '[redacted]' } } });
    expect(line.requestId).toBe('r1');
    expect(fields.sends[0]!.recipient.phone).toBe('+46701234567');
  });

  it('does not log what is nested too deep to be checked', () => {
    const line = logged({ a: { b: { c: { d: { e: { f: { phone: '+46701234567' } } } } } } });
    expect(JSON.stringify(line)).not.toContain('+46701234567');
  });
});

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
