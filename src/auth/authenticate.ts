// Authorization header -> Principal. API keys are looked up by hash; the operator's
// ADMIN_API_KEY acts as PLATFORM_ADMIN; JWTs (HS256 secret or JWKS) map their claims
// to memberships: { sub, platform_role?: "PLATFORM_ADMIN", memberships?: [{ tenantId, role }] }.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { Config } from '../config.ts';
import type { PrismaClient } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { decodeGlobalId, isUuid } from '../ids.ts';
import { API_KEY_PREFIX, hashSecret } from './api-keys.ts';
import { TENANT_ROLES, type Principal, type TenantRole } from './principal.ts';

const unauthenticated = (message: string) => new AppError('UNAUTHENTICATED', message);

export class Authenticator {
  private readonly adminHash: Buffer;
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;
  private readonly jwtSecret?: Uint8Array;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly config: Pick<Config, 'adminApiKey' | 'jwt'>,
  ) {
    this.adminHash = createHash('sha256').update(config.adminApiKey).digest();
    if (config.jwt?.jwksUrl) this.jwks = createRemoteJWKSet(new URL(config.jwt.jwksUrl));
    if (config.jwt?.secret) this.jwtSecret = new TextEncoder().encode(config.jwt.secret);
  }

  /** null when no credentials were sent; throws UNAUTHENTICATED when they are wrong. */
  async authenticate(authorization: string | null | undefined): Promise<Principal | null> {
    if (!authorization) return null;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw unauthenticated('Authorization header must be "Bearer <token>"');
    const token = match[1]!;
    if (this.isAdminKey(token)) {
      return { actor: 'operator', id: 'operator', kind: 'operator', platformAdmin: true, memberships: new Map() };
    }
    if (token.startsWith(API_KEY_PREFIX)) return this.fromApiKey(token);
    if (token.split('.').length === 3) return this.fromJwt(token);
    throw unauthenticated('Unknown API key or token');
  }

  private isAdminKey(token: string): boolean {
    return timingSafeEqual(createHash('sha256').update(token).digest(), this.adminHash);
  }

  private async fromApiKey(secret: string): Promise<Principal> {
    const key = await this.prisma.apiKey.findUnique({
      where: { secretHash: hashSecret(secret) },
      select: { id: true, tenantId: true, role: true, revokedAt: true },
    });
    if (!key) throw unauthenticated('Unknown API key or token');
    if (key.revokedAt) throw unauthenticated('This API key has been revoked');
    const memberships = new Map<string, TenantRole>();
    if (key.tenantId && key.role !== 'PLATFORM_ADMIN') memberships.set(key.tenantId, key.role);
    return { actor: `apikey:${key.id}`, id: `apikey:${key.id}`, kind: 'apiKey', platformAdmin: key.role === 'PLATFORM_ADMIN', memberships };
  }

  private async fromJwt(token: string): Promise<Principal> {
    const key = this.jwks ?? this.jwtSecret;
    if (!key) throw unauthenticated('JWT authentication is not configured');
    let payload: JWTPayload;
    try {
      const options = { issuer: this.config.jwt?.issuer, audience: this.config.jwt?.audience };
      payload = (
        this.jwks
          ? await jwtVerify(token, this.jwks, options)
          : await jwtVerify(token, this.jwtSecret!, { ...options, algorithms: ['HS256'] })
      ).payload;
    } catch {
      throw unauthenticated('Invalid or expired token');
    }
    if (!payload.sub) throw unauthenticated('Token has no subject');
    const memberships = new Map<string, TenantRole>();
    const claimed = Array.isArray(payload.memberships) ? payload.memberships : [];
    for (const m of claimed as Array<{ tenantId?: unknown; role?: unknown }>) {
      const tenantId = typeof m?.tenantId === 'string' ? (isUuid(m.tenantId) ? m.tenantId : decodeGlobalId(m.tenantId)?.id) : undefined;
      if (tenantId && TENANT_ROLES.includes(m.role as TenantRole)) memberships.set(tenantId, m.role as TenantRole);
    }
    return {
      actor: `user:${payload.sub}`,
      id: `user:${payload.sub}`,
      kind: 'user',
      platformAdmin: payload.platform_role === 'PLATFORM_ADMIN',
      memberships,
    };
  }
}
