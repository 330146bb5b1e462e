import type { OrganizationLevel, Role } from '@jrp/contracts';
import { cityOf } from '@jrp/domain';

/** Who is calling: an organisation with roles, through one of its tokens. */
export interface Principal {
  organization: { code: string; name: string; level: OrganizationLevel; region: string };
  roles: Role[];
  tokenId: string;
  /** The person or system the token was issued to. */
  label?: string;
  /** When the token expires (a signed token always does; JRP_ADMIN_TOKEN and actors outside HTTP have none). */
  expiresAt?: Date;
}

export const ADMIN_ORGANIZATION = {
  code: 'JRP-ADMIN',
  name: '系统管理员',
  level: 'province' as const,
  region: '340000',
};

export const hasRole = (principal: Principal, ...roles: Role[]) => roles.some((r) => principal.roles.includes(r));

/**
 * Which organisation-owned objects (tasks, subscriptions) a caller reaches: an implementing organisation
 * its own; the provincial office every organisation's; any other office (a city's or a county's) those
 * of its city, as for entries (`entryScopeOf`).
 */
export function reachOf(principal: Principal): { organization?: string; city?: string } {
  if (!hasRole(principal, 'office')) return { organization: principal.organization.code };
  if (principal.organization.level === 'province') return {};
  const region = principal.organization.region;
  return { city: cityOf(region) ?? region };
}
