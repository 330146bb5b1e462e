import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@jrp/contracts';
import { Principal } from './principal';

export const ROLES_KEY = 'jrp:roles';
export const PUBLIC_KEY = 'jrp:public';

/** The roles that may call a route. Every route declares its roles or `@Public()`: the guard denies the rest. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** Any authenticated caller, whatever its role (catalogue reads). */
export const AnyRole = () => Roles('publisher', 'implementer', 'office', 'admin');

/** A route anyone may call, without a token. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The authenticated caller. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<{ principal: Principal }>().principal;
});
