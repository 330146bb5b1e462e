import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor } from '@jrp/http';
import { CatalogueRepository } from './catalogue.repository';
import { CataloguePageDto, ListTypesQueryDto, MeasuresQueryDto, OrganizationsQueryDto } from './dto/measures-query.dto';

const DEFAULT_LIMIT = 200;

/**
 * A page of items keyed by code, from rows read with `limit + 1`: `next` is the cursor of the next page,
 * null after the last (`hasMore` false).
 */
function page<T>(rows: T[], key: (item: T) => string, limit: number) {
  const items = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  return { items, next: hasMore ? encodeCursor(key(items[items.length - 1])) : null, hasMore };
}

/** The catalogue in force, as any caller reads it: list types, memoranda, measures, organisations. */
@Injectable()
export class CatalogueQueriesService {
  constructor(private readonly catalogue: CatalogueRepository) {}

  async listTypes(query: ListTypesQueryDto) {
    const { after, limit } = this.window(query);
    return page(await this.catalogue.listTypes(after, limit + 1, query.colour), (item) => item.code, limit);
  }

  async memoranda(query: CataloguePageDto) {
    const { after, limit } = this.window(query);
    return page(await this.catalogue.memoranda(after, limit + 1), (item) => item.code, limit);
  }

  async measures(query: MeasuresQueryDto) {
    const { after, limit } = this.window(query);
    return page(await this.catalogue.measures({ ...query, after, limit: limit + 1 }), (item) => item.id, limit);
  }

  async organizations(query: OrganizationsQueryDto) {
    const { after, limit } = this.window(query);
    const rows = await this.catalogue.organizations(after, limit + 1, query.level, query.role);
    return page(rows, (item) => item.code, limit);
  }

  private window(query: CataloguePageDto): { after: string; limit: number } {
    return { after: decodeCursor(query.after) ?? '', limit: query.limit ?? DEFAULT_LIMIT };
  }
}
