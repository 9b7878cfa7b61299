// Short-lived signed download links for data subject exports: a JWT (HS256, key derived
// from the master key) naming the request and its tenant, valid for a few minutes. The link
// is the credential, as a presigned URL is; the download is audited.
import { hkdfSync } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

const AUDIENCE = 'export-download';

export interface ExportLinks {
  /** The URL that downloads the request's export until it expires; `actor` (who asked for the link) is the download's actor in the audit log. */
  urlFor(request: { id: string; tenantId: string }, actor: string, now?: Date): Promise<string>;
  /** The request a token names, or why it does not. */
  verify(token: string): Promise<{ ok: true; requestId: string; tenantId: string; actor: string } | { ok: false; reason: 'expired' | 'invalid' }>;
}

export function exportLinks(opts: { masterKey: Buffer; config: { publicUrl: string }; ttlSeconds: number }): ExportLinks {
  const key = new Uint8Array(hkdfSync('sha256', opts.masterKey, Buffer.alloc(0), 'export-download-links', 32));
  return {
    async urlFor(request, actor, now = new Date()) {
      const iat = Math.floor(now.getTime() / 1000);
      const token = await new SignJWT({ tid: request.tenantId, act: actor })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(request.id)
        .setAudience(AUDIENCE)
        .setIssuedAt(iat)
        .setExpirationTime(iat + opts.ttlSeconds)
        .sign(key);
      return `${opts.config.publicUrl.replace(/\/$/, '')}/exports/${token}`;
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], audience: AUDIENCE });
        if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string' || typeof payload.act !== 'string') return { ok: false, reason: 'invalid' };
        return { ok: true, requestId: payload.sub, tenantId: payload.tid, actor: payload.act };
      } catch (err) {
        return { ok: false, reason: err instanceof errors.JWTExpired ? 'expired' : 'invalid' };
      }
    },
  };
}
