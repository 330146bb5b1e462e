import { IDENTIFICATION_LEVELS, IdentificationLevel } from '@jrp/contracts';
import { ANHUI_CITIES, cityOf } from '@jrp/domain';
import { hasRole, Principal } from './principal';

/**
 * Which list entries a caller reaches, by the entry's region (行政区划), and which identification
 * levels (认定级别) it may decide. Every service that reads or changes entries, or records about them,
 * asks this one function.
 */
export interface EntryScope {
  /** Only entries whose region lies in this city (a city's code); absent: the whole province. */
  city?: string;
  /** The identification levels it may publish, correct, move through the lifecycle or decide objections on. */
  levels: readonly IdentificationLevel[];
}

/**
 * A city (or county) office reaches the entries of its city and decides only city-level ones; every
 * other caller (the provincial office, publishers, the admin) keeps the whole province, its other
 * limits (list types it identifies, entries it published) applied elsewhere.
 */
export function entryScopeOf(principal: Principal): EntryScope {
  if (!hasRole(principal, 'office') || principal.organization.level === 'province')
    return { levels: IDENTIFICATION_LEVELS };
  const region = principal.organization.region;
  // an office whose region names no city of Anhui reaches no entry (cityOf is null only for 340000 and non-codes)
  return { city: cityOf(region) ?? region, levels: ['city'] };
}

/** Whether a division code lies in the scope's city (always, for a province-wide scope). */
export function inScope(scope: EntryScope, region: string): boolean {
  return scope.city === undefined || (cityOf(region) !== null && cityOf(region) === scope.city);
}

/** `read`: see the entry or file an objection; `decide`: change it (publish again, correct, transitions, decisions). */
export type EntryIntent = 'read' | 'decide';

/**
 * What the caller may do to an existing entry: outside its city the entry does not exist for it
 * (`not-found`, 404); in its city at a level it may not decide, a change is `forbidden` (403).
 */
export function entryAccess(
  scope: EntryScope,
  entry: { region: string; identificationLevel: IdentificationLevel },
  intent: EntryIntent,
): 'allowed' | 'not-found' | 'forbidden' {
  if (!inScope(scope, entry.region)) return 'not-found';
  if (intent === 'decide' && !scope.levels.includes(entry.identificationLevel)) return 'forbidden';
  return 'allowed';
}

/**
 * Why the caller may not give an entry this region and level (a new entry, a correction, an upheld
 * objection's corrections), as a field error for a 403; null when it may.
 */
export function targetRefusal(
  scope: EntryScope,
  target: { region: string; identificationLevel: IdentificationLevel },
): { field: 'region' | 'identificationLevel'; message: string } | null {
  if (!inScope(scope, target.region))
    return {
      field: 'region',
      message: `region ${target.region} is outside the caller's city ${scope.city} (${ANHUI_CITIES[scope.city!] ?? 'no city of Anhui'})`,
    };
  if (!scope.levels.includes(target.identificationLevel))
    return {
      field: 'identificationLevel',
      message: `the caller may not decide ${target.identificationLevel}-level entries (only ${scope.levels.join(', ')})`,
    };
  return null;
}
