// A local stand-in for api.twilio.com: POST /2010-04-01/Accounts/{AccountSid}/Messages.json
// (form-encoded, Basic auth), GET and DELETE of a Message, and signed status callbacks.
// The facts it follows, and where it differs: ./PROVIDER.md.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { basicAuth } from '../../src/channels/kit/index.ts';
import { SendCalls, fakeBase, json, reply, startFakeServer, type FakeCall, type FakeProvider } from '../../test/kit/fake-http.ts';

export const FAKE_TWILIO_ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const FAKE_TWILIO_AUTH_TOKEN = 'fake-twilio-auth-token-5f2e9a';

interface StoredMessage {
  sid: string;
  from: string | null;
  to: string;
  body: string;
  status: string;
  messagingServiceSid: string | null;
  statusCallback: string | null;
  dateCreated: string;
}

export interface FakeTwilio extends FakeProvider {
  readonly messages: Map<string, StoredMessage>;
}

/** Signs a callback as Twilio does: URL followed by every POST parameter name+value in name order. */
function sign(url: string, params: Record<string, string>): string {
  let data = url;
  for (const name of Object.keys(params).sort()) data += name + params[name];
  return createHmac('sha1', FAKE_TWILIO_AUTH_TOKEN).update(data).digest('base64');
}

function twilioError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  json(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, headers);
}

function messageJson(m: StoredMessage): Record<string, unknown> {
  const uri = `/2010-04-01/Accounts/${FAKE_TWILIO_ACCOUNT_SID}/Messages/${m.sid}.json`;
  return {
    sid: m.sid,
    account_sid: FAKE_TWILIO_ACCOUNT_SID,
    messaging_service_sid: m.messagingServiceSid,
    from: m.from,
    to: m.to,
    body: m.body,
    status: m.status,
    direction: 'outbound-api',
    num_segments: String(Math.max(1, Math.ceil(m.body.length / 153))),
    num_media: '0',
    price: null,
    price_unit: 'USD',
    error_code: null,
    error_message: null,
    api_version: '2010-04-01',
    date_created: m.dateCreated,
    date_updated: m.dateCreated,
    date_sent: null,
    uri,
    subresource_uris: { media: uri.replace('.json', '/Media.json') },
  };
}

export async function startTwilioFake(opts: { callbackUrl?: string } = {}): Promise<FakeTwilio> {
  const messages = new Map<string, StoredMessage>();
  const calls = new SendCalls();
  const expectedAuth = basicAuth(FAKE_TWILIO_ACCOUNT_SID, FAKE_TWILIO_AUTH_TOKEN);
  const accountPath = `/2010-04-01/Accounts/${FAKE_TWILIO_ACCOUNT_SID}`;

  function handle(call: FakeCall, res: ServerResponse): void {
    const { body, url, headers } = call;
    const isSend = call.method === 'POST' && /^\/2010-04-01\/Accounts\/[^/]+\/Messages\.json$/.test(url.pathname);
    const failure = isSend ? calls.take(call) : undefined;
    if (failure === 'hang') return;
    if (failure === 'rate_limit') return twilioError(res, 429, 20429, 'Too Many Requests', { 'retry-after': '1' });
    if (failure === 'server_error') return twilioError(res, 503, 20500, 'Service Unavailable');
    if (failure === 'malformed') return reply(res, 201, 'application/json', '{"sid": "SM0');
    if (failure === 'html') return reply(res, 200, 'text/html', '<html><head><title>Twilio</title></head><body>Gateway</body></html>');

    if (headers.authorization !== expectedAuth || !url.pathname.startsWith(`${accountPath}/`)) {
      return twilioError(res, 401, 20003, 'Authenticate');
    }

    if (isSend) {
      if (!(headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
        return twilioError(res, 400, 20001, 'Unsupported content type');
      }
      const form = new URLSearchParams(body);
      const to = form.get('To');
      const from = form.get('From');
      const service = form.get('MessagingServiceSid');
      const text = form.get('Body');
      if (!to) return twilioError(res, 400, 21604, "A 'To' phone number is required.");
      if (!/^\+[1-9]\d{1,14}$/.test(to)) return twilioError(res, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
      // Twilio's magic test numbers for failure cases
      if (to === '+15005550001') return twilioError(res, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
      if (to === '+15005550004') return twilioError(res, 400, 21610, 'Attempt to send to unsubscribed recipient');
      if (to === '+15005550009') return twilioError(res, 400, 21614, `'To' number ${to} is not a valid mobile number`);
      if (!from && !service) return twilioError(res, 400, 21603, "A 'From' phone number is required.");
      if (!text) return twilioError(res, 400, 21602, 'Message body is required.');
      if (text.length > 1600) return twilioError(res, 400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
      const validity = form.get('ValidityPeriod');
      if (validity !== null && !(Number.isInteger(Number(validity)) && Number(validity) >= 1 && Number(validity) <= 36_000)) {
        return twilioError(res, 400, 21624, 'Invalid validity period value');
      }
      const statusCallback = form.get('StatusCallback');
      if (statusCallback !== null && !URL.canParse(statusCallback)) return twilioError(res, 400, 21609, 'Invalid StatusCallback');
      const message: StoredMessage = {
        sid: `SM${randomBytes(16).toString('hex')}`,
        from: from ?? null,
        to,
        body: text,
        status: service ? 'accepted' : 'queued',
        messagingServiceSid: service,
        statusCallback,
        dateCreated: new Date().toUTCString().replace('GMT', '+0000'),
      };
      messages.set(message.sid, message);
      return json(res, 201, messageJson(message));
    }

    const one = new RegExp(`^${accountPath}/Messages/(SM[0-9a-f]{32})\\.json$`).exec(url.pathname);
    if (one && call.method === 'GET') {
      const message = messages.get(one[1]!);
      return message ? json(res, 200, messageJson(message)) : twilioError(res, 404, 20404, 'The requested resource was not found');
    }
    if (one && call.method === 'DELETE') {
      if (!messages.delete(one[1]!)) return twilioError(res, 404, 20404, 'The requested resource was not found');
      res.writeHead(204).end();
      return;
    }
    return twilioError(res, 404, 20404, 'The requested resource was not found');
  }

  const server = await startFakeServer(handle);

  async function postStatus(target: string, message: StoredMessage, status: string, extra: Record<string, string> = {}): Promise<void> {
    message.status = status;
    const params: Record<string, string> = {
      MessageSid: message.sid,
      SmsSid: message.sid,
      MessageStatus: status,
      SmsStatus: status,
      AccountSid: FAKE_TWILIO_ACCOUNT_SID,
      From: message.from ?? '+15017122661',
      To: message.to,
      ApiVersion: '2010-04-01',
      ...(message.messagingServiceSid ? { MessagingServiceSid: message.messagingServiceSid } : {}),
      ...extra,
    };
    const res = await fetch(target, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': sign(target, params),
        'i-twilio-idempotency-token': randomUUID(),
        'user-agent': 'TwilioProxy/1.1',
      },
      body: new URLSearchParams(params).toString(),
    });
    await res.arrayBuffer();
  }

  return {
    ...fakeBase(server, calls),
    messages,
    holds: (providerId) => messages.has(providerId),
    async emitCallback(providerId, outcome) {
      if (outcome === 'redeemed') throw new Error('Twilio sends messages; it has no gift callbacks');
      const message = messages.get(providerId);
      if (!message) throw new Error('unknown Message SID');
      const target = message.statusCallback ?? opts.callbackUrl;
      if (!target) return;
      await postStatus(target, message, 'sent');
      if (outcome === 'delivered') {
        await postStatus(target, message, 'delivered', { RawDlrDoneDate: new Date().toISOString().replace(/\D/g, '').slice(2, 12) });
      } else {
        await postStatus(target, message, 'undelivered', { ErrorCode: '30003' });
      }
    },
  };
}
