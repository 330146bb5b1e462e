import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@jrp/auth';
import { MeasuresQueryDto } from './dto/measures-query.dto';
import { CatalogueRepository } from './catalogue.repository';

const ANY_CALLER = ['publisher', 'implementer', 'office', 'admin'] as const;

@ApiTags('catalogue 联合奖惩措施清单')
@ApiBearerAuth()
@Controller('catalogue')
export class CatalogueController {
  constructor(private readonly catalogue: CatalogueRepository) {}

  @Get('list-types')
  @Roles(...ANY_CALLER)
  @ApiOperation({ summary: 'List types (名单类型), red and black' })
  async listTypes() {
    return { items: await this.catalogue.listTypes() };
  }

  @Get('measures')
  @Roles(...ANY_CALLER)
  @ApiOperation({ summary: 'Measures (措施), optionally of one list type' })
  async measures(@Query() query: MeasuresQueryDto) {
    return { items: await this.catalogue.measures(query.listType) };
  }

  @Get('organizations')
  @Roles(...ANY_CALLER)
  @ApiOperation({ summary: 'Organisations: initiating and implementing departments, offices' })
  async organizations() {
    return { items: await this.catalogue.organizations() };
  }
}
