import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { Role } from '@jrp/contracts';
import { JrpConfig } from '@jrp/config';
import { PUBLIC_KEY, ROLES_KEY } from './decorators';
import { ADMIN_ORGANIZATION, Principal } from './principal';
import { RateLimiter } from './rate-limiter';
import { RequestContext } from './request-context';
import { RevocationList } from './revocation-list';
import { secretEquals, verifyToken } from './token';
import { TokenUsage } from './token-usage';
import { VerifiedTokens } from './verified-tokens';

/**
 * Authenticates `Authorization: Bearer <token>`, refuses revoked and expired tokens, bounds each
 * token's request rate, and checks the route's roles. Deny by default: a route that declares neither
 * roles nor `@Public()` answers 403 to everyone. A token's signature is verified once per process (while
 * it stays among the recently used); its expiry and the revocation list are checked on every request.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly limiter: RateLimiter;
  private readonly verified = new VerifiedTokens();

  constructor(
    private readonly reflector: Reflector,
    @Inject(JrpConfig) private readonly config: JrpConfig,
    private readonly revocations: RevocationList,
    private readonly usage: TokenUsage,
  ) {
    this.limiter = new RateLimiter(config.rateLimitPerMinute);
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal | null }>();
    const response = context.switchToHttp().getResponse<Response>();
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets);
    const header = request.headers?.authorization;
    const principal = this.authenticate(header);
    if (!isPublic && !principal) {
      throw new UnauthorizedException(
        header ? 'the bearer token is not valid, has expired or was revoked' : 'a bearer token is required',
      );
    }
    const wait = this.limiter.take(principal ? `token:${principal.tokenId}` : `ip:${request.ip}`);
    if (wait > 0) {
      response.setHeader('Retry-After', String(wait));
      throw new HttpException({ detail: `too many requests: retry after ${wait} s` }, HttpStatus.TOO_MANY_REQUESTS);
    }
    if (isPublic) return true;
    request.principal = principal;
    const store = RequestContext.current();
    if (store) store.principal = principal!;
    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? [];
    if (!roles.some((r) => principal!.roles.includes(r))) {
      throw new ForbiddenException(
        roles.length ? `this operation needs the role ${roles.join(' or ')}` : 'this operation is not open to callers',
      );
    }
    return true;
  }

  private authenticate(header: unknown): Principal | null {
    if (typeof header !== 'string') return null;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return null;
    const token = match[1];
    const now = new Date();
    // a verified token is never the admin token: that one is answered before any verification
    let principal: Principal | null | undefined = this.verified.get(token, now.getTime());
    if (!principal) {
      if (this.config.adminToken && secretEquals(token, this.config.adminToken)) {
        return {
          organization: ADMIN_ORGANIZATION,
          roles: ['admin'],
          tokenId: 'env:JRP_ADMIN_TOKEN',
          label: 'JRP_ADMIN_TOKEN',
        };
      }
      principal = this.verify(token, now);
    }
    if (!principal || this.revocations.has(principal.tokenId)) return null;
    this.usage.note(principal.tokenId, now);
    return principal;
  }

  private verify(token: string, now: Date): Principal | null {
    const principal = verifyToken(this.config.tokenVerifyKeys, token, now);
    if (!principal) return null;
    this.verified.set(token, principal, principal.expiresAt.getTime());
    return principal;
  }
}
