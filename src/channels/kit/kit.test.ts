import { describe, expect, it } from 'vitest';
import { ProviderError } from '../contract.ts';
import { deleteEach } from './erase.ts';
import { basicAuth, bearerAuth, formRequest, joinUrl, jsonRequest, type ProviderResponse } from './http.ts';
import { codeOf, errorCode, scrubText } from './provider-text.ts';
import { requireEmail, requirePhone, requirePushTokens } from './recipients.ts';
import { jsonEvents } from './webhook-events.ts';

const answer = (status: number, text = ''): ProviderResponse => ({ status, headers: { get: () => null }, text });

describe('the provider kit', () => {
  it('checks the address a channel needs, naming neither the value nor the person', () => {
    expect(requirePhone({ phone: '+46701234567' })).toBe('+46701234567');
    for (const phone of [null, undefined, '0701234567', '+46 70 123 45 67', '+0701234567', '+123456']) {
      expect(() => requirePhone({ phone })).toThrow(expect.objectContaining({ reason: 'invalid_recipient', retryable: false }));
    }
    expect(requireEmail({ email: 'anna@example.se' })).toBe('anna@example.se');
    expect(() => requireEmail({ email: 'not-an-address' })).toThrow(ProviderError);
    expect(() => requireEmail({ email: 'not-an-address' })).toThrow('recipient has no valid e-mail address');
    expect(requirePushTokens({ pushTokens: ['a', 'a', ' ', 'b'] })).toEqual(['a', 'b']);
    expect(() => requirePushTokens({ pushTokens: [] })).toThrow(expect.objectContaining({ reason: 'invalid_recipient' }));
  });

  it('builds auth headers, URLs and request shapes', () => {
    expect(basicAuth('user', 'pässword')).toBe(`Basic ${Buffer.from('user:pässword', 'utf8').toString('base64')}`);
    expect(bearerAuth('k')).toBe('Bearer k');
    expect(joinUrl('https://api.example//', '/v1/x')).toBe('https://api.example/v1/x');
    expect(formRequest('POST', { authorization: 'a' }, new URLSearchParams({ to: '+46' }))).toEqual({
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', authorization: 'a' },
      body: 'to=%2B46',
    });
    expect(jsonRequest('DELETE', {})).toEqual({ method: 'DELETE', headers: { accept: 'application/json' }, body: undefined });
    expect(jsonRequest('POST', { 'content-type': 'application/json; UTF-8' }, { a: 1 })).toEqual({
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json; UTF-8' },
      body: '{"a":1}',
    });
  });

  it('keeps codes of provider errors and scrubs free text of numbers and addresses', () => {
    expect(errorCode(answer(400, '{"code":"missing_parameter","message":"to anna@example.se"}'), 'code')).toBe('missing_parameter');
    expect(errorCode(answer(400, '{"code":21211}'), 'code')).toBe('21211');
    expect(errorCode(answer(400, '{"code":"+46701234567"}'), 'code')).toBeUndefined();
    expect(errorCode(answer(400, '{"code":46701234567}'), 'code')).toBeUndefined();
    expect(errorCode(answer(400, '{"code":"anna@example.se"}'), 'code')).toBeUndefined();
    expect(errorCode(answer(400, '<html>'), 'code')).toBeUndefined();
    expect(codeOf('personalizations.0.to.0.email')).toBe('personalizations.0.to.0.email');
    expect(codeOf('two words')).toBeUndefined();
    const scrubbed = scrubText('<p>Invalid to number +46 70-123 45 67 for someone@example.com</p>');
    expect(scrubbed).toBe('Invalid to number [number] for [address]');
    expect(scrubText('x'.repeat(200))).toHaveLength(80);
  });

  it('reads JSON webhook bodies of one event or a batch', () => {
    expect(jsonEvents('{"event":"delivered"}')).toEqual([{ event: 'delivered' }]);
    expect(jsonEvents('[{"a":1},"text",42,null,[1],{"b":2}]')).toEqual([{ a: 1 }, { b: 2 }]);
    expect(() => jsonEvents('<html>')).toThrow('not JSON');
  });

  it('deletes one item per request, counting the ones already gone, and stops at a refusal', async () => {
    const asked: string[] = [];
    const statuses: Record<string, number> = { a: 204, b: 404, c: 200 };
    expect(await deleteEach(['a', 'b', 'c'], async (id) => (asked.push(id), answer(statuses[id]!)))).toEqual({ deleted: 2, missing: 1 });
    expect(asked).toEqual(['a', 'b', 'c']);
    await expect(deleteEach(['a', 'x'], async (id) => answer(id === 'x' ? 401 : 204))).rejects.toMatchObject({ reason: 'auth', status: 401 });
  });
});
