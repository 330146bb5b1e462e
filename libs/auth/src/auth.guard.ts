import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@jrp/contracts';
import { JrpConfig } from '@jrp/config';
import { PUBLIC_KEY, ROLES_KEY } from './decorators';
import { ADMIN_ORGANIZATION, Principal } from './principal';
import { secretEquals, verifyToken } from './token';

/**
 * Authenticates `Authorization: Bearer <token>` and checks the route's roles. Deny by default: a route
 * that declares neither roles nor `@Public()` answers 403 to everyone.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(JrpConfig) private readonly config: JrpConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest();
    const principal = this.authenticate(request.headers?.authorization);
    if (!principal) throw new UnauthorizedException('a valid bearer token is required');
    request.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? [];
    if (!roles.some((r) => principal.roles.includes(r))) {
      throw new ForbiddenException(roles.length ? `this operation needs the role ${roles.join(' or ')}` : 'this operation is not open to callers');
    }
    return true;
  }

  private authenticate(header: unknown): Principal | null {
    if (typeof header !== 'string') return null;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return null;
    const token = match[1];
    if (this.config.adminToken && secretEquals(token, this.config.adminToken)) {
      return { organization: ADMIN_ORGANIZATION, roles: ['admin'], tokenId: 'env:JRP_ADMIN_TOKEN', label: 'JRP_ADMIN_TOKEN' };
    }
    return verifyToken(this.config.tokenVerifyKey, token);
  }
}
