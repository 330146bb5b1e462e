import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Public, Roles } from '@jrp/auth';
import { PageOf } from '@jrp/http';
import { EntriesQueryDto, PublicQueryDto } from './dto/entries-query.dto';
import {
  EntryHistoryResponse,
  EntryItemResponse,
  EntryResponse,
  PublicEntryResponse,
  SubjectCreditFileResponse,
} from './dto/entry.response';
import { EntriesQueries } from './entries.queries';

@ApiTags('lists 红黑名单')
@ApiBearerAuth()
@Controller()
export class EntriesQueriesController {
  constructor(private readonly queries: EntriesQueries) {}

  @Get('lists/entries')
  @Roles('office', 'admin')
  @ApiOperation({
    operationId: 'listEntries',
    summary: 'All entries, filtered by list type, status, region or subject, paged by cursor',
  })
  @ApiOkResponse({ type: PageOf(EntryItemResponse) })
  list(@Query() q: EntriesQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.queries.list(q, principal);
  }

  @Get('lists/entries/:id')
  @Roles('publisher', 'office', 'admin')
  @ApiOperation({
    operationId: 'getEntry',
    summary: 'One entry: current state, version, flags (a publisher sees its own)',
  })
  @ApiOkResponse({ type: EntryResponse })
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal) {
    return this.queries.get(id, principal);
  }

  @Get('lists/entries/:id/history')
  @Roles('publisher', 'office', 'admin')
  @ApiOperation({ operationId: 'getEntryHistory', summary: 'Every version and transition of an entry: who, when, why' })
  @ApiOkResponse({ type: EntryHistoryResponse })
  history(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<EntryHistoryResponse> {
    return this.queries.history(id, principal);
  }

  @Get('subjects/:key/credit')
  @Roles('office')
  @ApiOperation({
    operationId: 'getSubjectCredit',
    summary: 'A subject’s credit file: its entries and repair history; key = USCC or ID number',
  })
  @ApiOkResponse({ type: SubjectCreditFileResponse })
  subjectFile(@Param('key') key: string, @CurrentPrincipal() principal: Principal) {
    return this.queries.subjectFile(key, principal);
  }

  @Get('lists/public')
  @Public()
  @ApiOperation({
    operationId: 'listPublicEntries',
    summary: 'The public list (信用中国 style): active entries, ID numbers masked',
  })
  @ApiOkResponse({ type: PageOf(PublicEntryResponse) })
  publicList(@Query() q: PublicQueryDto) {
    return this.queries.publicList(q);
  }
}
