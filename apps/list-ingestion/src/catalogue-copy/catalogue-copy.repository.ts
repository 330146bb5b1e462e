import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { listTypeRules, ListTypeData, MeasureRefData, OrganizationData } from '@jrp/contracts';
import { DatabaseRepository, Table } from '@jrp/database';
import type { CalendarOverride } from '@jrp/domain';
import { knownListTypes } from '../entries/list-entries.repository';

/** `known_organizations`: the catalogue's organisations as list-ingestion knows them. */
export const knownOrganizations = new Table<OrganizationData>('known_organizations', {
  code: 'code',
  name: 'name',
  level: 'level',
  region: 'region',
  roles: 'roles',
});

/** A measure as a listing decision document (列入决定书) states it: what follows a listing, and who applies it. */
export interface KnownMeasure {
  code: string;
  listType: string;
  text: string;
  kind: 'punishment' | 'reward';
  implementingOrganizations: string[];
  scopeRegion: string | null;
}

/** `known_measures`: the catalogue's measures as list-ingestion knows them (from `jrp.catalogue.published`). */
export const knownMeasures = new Table<KnownMeasure>('known_measures', {
  code: 'code',
  listType: 'list_type',
  text: 'text',
  kind: 'kind',
  implementingOrganizations: 'implementing_organizations',
  scopeRegion: 'scope_region',
});

/** One year of the working-day calendar: its exceptions to the Monday–Friday rule. */
export interface KnownCalendarYear {
  year: number;
  version: number;
  days: CalendarOverride[];
}

/** `known_calendar_years`: measures' working-day calendar as list-ingestion knows it. */
export const knownCalendarYears = new Table<KnownCalendarYear>('known_calendar_years', {
  year: 'year',
  version: 'version',
  days: { column: 'days', cast: 'jsonb' },
});

/** list-ingestion's copy of the catalogue (list types, organisations, its version) and of the calendar. */
@Injectable()
export class CatalogueCopyRepository extends DatabaseRepository {
  constructor(@InjectDataSource('list-ingestion') dataSource: DataSource) {
    super(dataSource);
  }

  /** The version of the catalogue copied, locked until the transaction ends (one copy at a time). */
  async lockVersion(): Promise<number | undefined> {
    const [state] = await this.query<{ version: number }[]>(
      `SELECT version FROM catalogue_state WHERE id = 1 FOR UPDATE`,
    );
    return state?.version;
  }

  /** Replaces every list type with those of a catalogue version, each with its complete rule set. */
  async replaceListTypes(listTypes: ListTypeData[], catalogueVersion: number): Promise<void> {
    await this.query(`DELETE FROM known_list_types`);
    await this.insertRows(
      knownListTypes,
      listTypes.map((l) => {
        const { withheldFacilitations: _withheld, ...rules } = listTypeRules(l);
        return {
          code: l.code,
          name: l.name,
          colour: l.colour,
          identifyingOrganization: l.identifyingOrganization,
          subjectKinds: l.subjectKinds,
          repairable: l.repairable,
          defaultValidityDays: l.defaultValidityDays ?? null,
          catalogueVersion,
          ...rules,
          // as JSON text: the driver would send an array as a PostgreSQL array
          grades: JSON.stringify(rules.grades) as unknown as ListTypeData['grades'] & object,
        };
      }),
    );
  }

  /**
   * Replaces the measures with those of a catalogue version; measures of an event from before the
   * decision document (no text) are left out, so the copy holds none until a version carries them.
   */
  async replaceMeasures(measures: MeasureRefData[]): Promise<void> {
    await this.query(`DELETE FROM known_measures`);
    await this.insertRows(
      knownMeasures,
      measures
        .filter((m) => m.text !== undefined && m.listType !== undefined)
        .map((m) => ({
          code: m.code,
          listType: m.listType!,
          text: m.text!,
          kind: m.kind ?? 'punishment',
          implementingOrganizations: m.implementingOrganizations ?? [],
          scopeRegion: m.scopeRegion ?? null,
        })),
    );
  }

  /**
   * The measures that follow a listing of `listType` in `region`: the provincial catalogue's and those of
   * the region's city, each with its implementing organisations' names.
   */
  measuresFollowing(listType: string, region: string): Promise<(KnownMeasure & { implementers: string[] })[]> {
    return this.query<(KnownMeasure & { implementers: string[] })[]>(
      `SELECT ${knownMeasures.selectList('m')},
              ARRAY(SELECT coalesce(o.name, c) FROM unnest(m.implementing_organizations) WITH ORDINALITY AS u(c, n)
                    LEFT JOIN known_organizations o ON o.code = u.c ORDER BY u.n) AS implementers
       FROM known_measures m
       WHERE m.list_type = $1 AND (m.scope_region IS NULL OR left(m.scope_region, 4) = left($2, 4))
       ORDER BY m.code`,
      [listType, region],
    );
  }

  /** An organisation's name, or its code when unknown. */
  async organizationName(code: string): Promise<string> {
    const [row] = await this.query<{ name: string }[]>(`SELECT name FROM known_organizations WHERE code = $1`, [code]);
    return row?.name ?? code;
  }

  async upsertOrganization(o: OrganizationData): Promise<void> {
    await this.insertRows(knownOrganizations, [o], {
      onConflict:
        '(code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level, region = EXCLUDED.region, roles = EXCLUDED.roles',
    });
  }

  async setVersion(version: number): Promise<void> {
    await this.query(
      `INSERT INTO catalogue_state (id, version) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET version = $1`,
      [version],
    );
  }

  /** Stores a year of the calendar unless a version as new is stored already. */
  async upsertCalendarYear(year: KnownCalendarYear): Promise<void> {
    await this.query(
      `INSERT INTO known_calendar_years (${knownCalendarYears.columnList()}) VALUES (${knownCalendarYears.placeholders(1)})
       ON CONFLICT (year) DO UPDATE SET version = EXCLUDED.version, days = EXCLUDED.days
       WHERE known_calendar_years.version < EXCLUDED.version`,
      // the days as JSON text: the driver would send an array as a PostgreSQL array
      [year.year, year.version, JSON.stringify(year.days)],
    );
  }

  calendarYears(): Promise<KnownCalendarYear[]> {
    return this.query<KnownCalendarYear[]>(`SELECT ${knownCalendarYears.selectList()} FROM known_calendar_years`);
  }
}
