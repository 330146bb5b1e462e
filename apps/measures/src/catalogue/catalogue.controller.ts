import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyRole } from '@jrp/auth';
import { CataloguePageDto, ListTypesQueryDto, MeasuresQueryDto, OrganizationsQueryDto } from './dto/measures-query.dto';
import { CatalogueQueriesService } from './catalogue-queries.service';
import {
  CatalogueListTypePageResponse,
  CatalogueMeasurePageResponse,
  CatalogueMemorandumPageResponse,
  CatalogueOrganizationPageResponse,
} from './dto/catalogue.response';

@ApiTags('catalogue 联合奖惩措施清单')
@ApiBearerAuth()
@Controller('catalogue')
export class CatalogueController {
  constructor(private readonly catalogue: CatalogueQueriesService) {}

  @Get('list-types')
  @AnyRole()
  @ApiOperation({ operationId: 'listListTypes', summary: 'List types (名单类型), red and black' })
  @ApiOkResponse({ type: CatalogueListTypePageResponse })
  listTypes(@Query() query: ListTypesQueryDto) {
    return this.catalogue.listTypes(query);
  }

  @Get('memoranda')
  @AnyRole()
  @ApiOperation({ operationId: 'listMemoranda', summary: 'Memoranda (合作备忘录)' })
  @ApiOkResponse({ type: CatalogueMemorandumPageResponse })
  memoranda(@Query() query: CataloguePageDto) {
    return this.catalogue.memoranda(query);
  }

  @Get('measures')
  @AnyRole()
  @ApiOperation({
    operationId: 'listMeasures',
    summary: 'Measures (措施), by list type, memorandum or implementing organisation',
  })
  @ApiOkResponse({ type: CatalogueMeasurePageResponse })
  measures(@Query() query: MeasuresQueryDto) {
    return this.catalogue.measures(query);
  }

  @Get('organizations')
  @AnyRole()
  @ApiOperation({
    operationId: 'listOrganizations',
    summary: 'Organisations: initiating and implementing departments, offices',
  })
  @ApiOkResponse({ type: CatalogueOrganizationPageResponse })
  organizations(@Query() query: OrganizationsQueryDto) {
    return this.catalogue.organizations(query);
  }
}
