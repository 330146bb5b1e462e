import { Body, Controller, Delete, Get, Param, ParseIntPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@jrp/auth';
import { Matches } from 'class-validator';
import { ORGANIZATION_CODE } from '@jrp/contracts';
import { CatalogueDocument, MeasureDoc } from './catalogue-document';
import { CatalogueDocumentDto, MeasureBodyDto, PublishVersionDto } from '../dto/catalogue-document.dto';
import { CatalogueVersionsService } from './catalogue-versions.service';

const ANY_CALLER = ['publisher', 'implementer', 'office', 'admin'] as const;

class CodeParam {
  @Matches(ORGANIZATION_CODE) code: string;
}

const withNulls = (m: MeasureBodyDto): Omit<MeasureDoc, 'code'> => ({
  ...m,
  category: m.category ?? null,
  effectiveFrom: m.effectiveFrom ?? null,
  effectiveTo: m.effectiveTo ?? null,
  scopeRegion: m.scopeRegion ?? null,
});

const documentOf = (dto: CatalogueDocumentDto): CatalogueDocument => ({
  memoranda: dto.memoranda.map((x) => ({ ...x, docNo: x.docNo ?? null, year: x.year ?? null, signatoryCount: x.signatoryCount ?? null })),
  listTypes: dto.listTypes.map((x) => ({ ...x, defaultValidityDays: x.defaultValidityDays ?? null })),
  measures: dto.measures.map((x) => ({ code: x.code, ...withNulls(x) })),
});

/** Editing, publishing and comparing catalogue versions. */
@ApiTags('catalogue 联合奖惩措施清单')
@ApiBearerAuth()
@Controller('catalogue')
export class CatalogueVersionsController {
  constructor(private readonly versions: CatalogueVersionsService) {}

  @Get('draft')
  @Roles('office')
  @ApiOperation({ summary: 'The draft: the whole document and what would stop its publication' })
  draft() {
    return this.versions.draft();
  }

  @Put('draft')
  @Roles('office')
  @ApiOperation({ summary: 'Replace the draft with a whole catalogue (JSON import); a city office only its city’s measures' })
  replaceDraft(@Body() dto: CatalogueDocumentDto, @CurrentPrincipal() principal: Principal) {
    return this.versions.replaceDraft(documentOf(dto), principal);
  }

  @Put('draft/measures/:code')
  @Roles('office')
  @ApiOperation({ summary: 'Add or change a measure in the draft; a city office only its city’s measures' })
  putMeasure(@Param() { code }: CodeParam, @Body() dto: MeasureBodyDto, @CurrentPrincipal() principal: Principal) {
    return this.versions.putMeasure(code, withNulls(dto), principal);
  }

  @Delete('draft/measures/:code')
  @Roles('office')
  @ApiOperation({ summary: 'Withdraw a measure in the draft' })
  deleteMeasure(@Param() { code }: CodeParam, @CurrentPrincipal() principal: Principal) {
    return this.versions.deleteMeasure(code, principal);
  }

  @Post('versions')
  @Roles('office')
  @ApiOperation({ summary: 'Publish the draft as the next version: the live catalogue changes and active entries are re-matched' })
  publish(@Body() dto: PublishVersionDto, @CurrentPrincipal() principal: Principal) {
    return this.versions.publish(principal, dto.note);
  }

  @Get('versions')
  @Roles(...ANY_CALLER)
  @ApiOperation({ summary: 'Published versions' })
  async list() {
    return { items: await this.versions.versions() };
  }

  @Get('versions/:version')
  @Roles(...ANY_CALLER)
  @ApiOperation({ summary: 'A published version, whole (JSON export)' })
  document(@Param('version', ParseIntPipe) version: number) {
    return this.versions.document(version);
  }

  @Get('versions/:a/diff/:b')
  @Roles(...ANY_CALLER)
  @ApiOperation({ summary: 'What changed from version a to version b: added, removed and changed, by code' })
  diff(@Param('a', ParseIntPipe) a: number, @Param('b', ParseIntPipe) b: number) {
    return this.versions.diff(a, b);
  }

  @Get('versions/:version/rematch')
  @Roles('office', 'admin')
  @ApiOperation({ summary: 'Progress of re-matching the active entries after a version' })
  rematch(@Param('version', ParseIntPipe) version: number) {
    return this.versions.rematchProgress(version);
  }
}

