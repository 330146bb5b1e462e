import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyRole } from '@jrp/auth';
import { decodeCursor, encodeCursor } from '@jrp/http';
import { CataloguePageDto, ListTypesQueryDto, MeasuresQueryDto, OrganizationsQueryDto } from './dto/measures-query.dto';
import { CatalogueRepository } from './catalogue.repository';
import {
  CatalogueListTypePageResponse,
  CatalogueMeasurePageResponse,
  CatalogueMemorandumPageResponse,
  CatalogueOrganizationPageResponse,
} from './dto/catalogue.response';

/** A page of items keyed by code; `next` is the cursor of the next page, null after the last. */
function page<T>(items: T[], key: (x: T) => string, limit: number) {
  return { items, next: items.length === limit ? encodeCursor(key(items[items.length - 1])) : null };
}

@ApiTags('catalogue 联合奖惩措施清单')
@ApiBearerAuth()
@Controller('catalogue')
export class CatalogueController {
  constructor(private readonly catalogue: CatalogueRepository) {}

  @Get('list-types')
  @AnyRole()
  @ApiOperation({ summary: 'List types (名单类型), red and black' })
  @ApiOkResponse({ type: CatalogueListTypePageResponse })
  async listTypes(@Query() q: ListTypesQueryDto) {
    const after = decodeCursor(q.after) ?? '';
    const limit = q.limit ?? 200;
    return page(await this.catalogue.listTypes(after, limit, q.colour), (x) => x.code, limit);
  }

  @Get('memoranda')
  @AnyRole()
  @ApiOperation({ summary: 'Memoranda (合作备忘录)' })
  @ApiOkResponse({ type: CatalogueMemorandumPageResponse })
  async memoranda(@Query() q: CataloguePageDto) {
    const after = decodeCursor(q.after) ?? '';
    const limit = q.limit ?? 200;
    return page(await this.catalogue.memoranda(after, limit), (x) => x.code, limit);
  }

  @Get('measures')
  @AnyRole()
  @ApiOperation({ summary: 'Measures (措施), by list type, memorandum or implementing organisation' })
  @ApiOkResponse({ type: CatalogueMeasurePageResponse })
  async measures(@Query() q: MeasuresQueryDto) {
    const after = decodeCursor(q.after) ?? '';
    const limit = q.limit ?? 200;
    return page(await this.catalogue.measures({ ...q, after, limit }), (x) => x.id, limit);
  }

  @Get('organizations')
  @AnyRole()
  @ApiOperation({ summary: 'Organisations: initiating and implementing departments, offices' })
  @ApiOkResponse({ type: CatalogueOrganizationPageResponse })
  async organizations(@Query() q: OrganizationsQueryDto) {
    const after = decodeCursor(q.after) ?? '';
    const limit = q.limit ?? 200;
    return page(await this.catalogue.organizations(after, limit, q.level, q.role), (x) => x.code, limit);
  }
}
