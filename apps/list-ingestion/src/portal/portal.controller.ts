import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@jrp/auth';
import { PortalLookupDto } from './dto/portal-subject.dto';
import { PortalLookupResponse } from './dto/portal-lookup.response';
import { PortalService } from './portal.service';

@ApiTags('lists 红黑名单')
@ApiBearerAuth()
@Controller('lists/portal')
export class PortalController {
  constructor(private readonly portal: PortalService) {}

  @Post('lookup')
  @HttpCode(200)
  @Roles('portal')
  @ApiOperation({
    operationId: 'lookupPortalEntry',
    summary:
      '信用网站: the entries a subject and document number name (id, status, dates, rule texts, what is pending); 404 when none; audited',
  })
  @ApiOkResponse({ type: PortalLookupResponse })
  lookup(@Body() dto: PortalLookupDto) {
    return this.portal.lookup(dto);
  }
}
