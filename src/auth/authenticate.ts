// Authorization header -> Principal. API keys are looked up by hash; the operator's
// ADMIN_API_KEY acts as PLATFORM_ADMIN; JWTs (HS256 secret or JWKS) map their claims
// to memberships: { sub, platform_role?: "PLATFORM_ADMIN", memberships?: [{ tenantId, role }] }.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { Config } from '../config.ts';
import type { PrismaClient } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { decodeGlobalId, isUuid } from '../ids.ts';
import type { Logger } from '../log.ts';
import { API_KEY_PREFIX, hashSecret } from './api-keys.ts';
import { OPERATOR, TENANT_ROLES, type Principal, type TenantRole } from './principal.ts';
import { TtlCache } from '../ttl-cache.ts';

/**
 * How long a looked-up API key is trusted without asking the database again. A revocation
 * made by this process takes effect at once (`forgetApiKey`); one made by another process
 * within this time, well inside the subscription re-check's promise of 5 seconds.
 */
export const API_KEY_CACHE_MS = 1_000;

const unauthenticated = (message: string) => new AppError('UNAUTHENTICATED', message);

export class Authenticator {
  private readonly adminHash: Buffer;
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;
  private readonly jwtSecret?: Uint8Array;
  private readonly apiKeys = new TtlCache<string, Principal>(API_KEY_CACHE_MS);

  constructor(
    private readonly prisma: PrismaClient,
    private readonly config: Pick<Config, 'adminApiKey' | 'jwt'>,
    private readonly log: Logger,
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
    if (this.isAdminKey(token)) return OPERATOR;
    if (token.startsWith(API_KEY_PREFIX)) return this.fromApiKey(token);
    if (token.split('.').length === 3) return this.fromJwt(token);
    throw unauthenticated('Unknown API key or token');
  }

  private isAdminKey(token: string): boolean {
    return timingSafeEqual(createHash('sha256').update(token).digest(), this.adminHash);
  }

  /** Drops a key from the lookup cache, so that its revocation holds from the next request on. */
  forgetApiKey(secretHash: string): void {
    this.apiKeys.delete(secretHash);
  }

  private fromApiKey(secret: string): Promise<Principal> {
    const secretHash = hashSecret(secret);
    return this.apiKeys.get(secretHash, () => this.lookUpApiKey(secretHash));
  }

  private async lookUpApiKey(secretHash: string): Promise<Principal> {
    const key = await this.prisma.apiKey.findUnique({
      where: { secretHash },
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
      // Every token must expire: one without `exp` would stay valid for ever once leaked.
      const options = { issuer: this.config.jwt?.issuer, audience: this.config.jwt?.audience, requiredClaims: ['exp'] };
      payload = (
        this.jwks
          ? await jwtVerify(token, this.jwks, options)
          : await jwtVerify(token, this.jwtSecret!, { ...options, algorithms: ['HS256'] })
      ).payload;
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw unauthenticated('Token has expired');
      if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'exp') throw unauthenticated('Token must carry an expiry time (exp)');
      throw unauthenticated('Invalid or expired token');
    }
    if (!payload.sub) throw unauthenticated('Token has no subject');
    const maxLifetimeS = this.config.jwt!.maxLifetimeSeconds;
    if (payload.exp! - Math.floor(Date.now() / 1000) > maxLifetimeS) {
      throw unauthenticated(`Token lives too long: its expiry may be at most ${maxLifetimeS} seconds ahead (JWT_MAX_LIFETIME_SECONDS)`);
    }
    return this.principalOf(payload);
  }

  /** Memberships name tenants by raw or Tenant global id; unknown roles and tenants that do not exist are dropped. */
  private async principalOf(payload: JWTPayload): Promise<Principal> {
    const claimed = new Map<string, TenantRole>();
    for (const m of (Array.isArray(payload.memberships) ? payload.memberships : []) as Array<{ tenantId?: unknown; role?: unknown }>) {
      if (typeof m?.tenantId !== 'string' || !TENANT_ROLES.includes(m.role as TenantRole)) continue;
      const decoded = isUuid(m.tenantId) ? { typename: 'Tenant', id: m.tenantId } : decodeGlobalId(m.tenantId);
      if (decoded?.typename === 'Tenant') claimed.set(decoded.id, m.role as TenantRole);
    }
    const known = claimed.size
      ? new Set((await this.prisma.tenant.findMany({ where: { id: { in: [...claimed.keys()] } }, select: { id: true } })).map((t) => t.id))
      : new Set<string>();
    const memberships = new Map([...claimed].filter(([tenantId]) => known.has(tenantId)));
    if (memberships.size < claimed.size) this.log.warn({ dropped: claimed.size - memberships.size }, 'token names tenants that do not exist; those memberships are ignored');
    return {
      actor: `user:${payload.sub}`,
      id: `user:${payload.sub}`,
      kind: 'user',
      platformAdmin: payload.platform_role === 'PLATFORM_ADMIN',
      memberships,
    };
  }
}
