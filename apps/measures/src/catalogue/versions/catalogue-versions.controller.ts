import {
  Body,
  HttpException,
  Controller,
  Delete,
  Get,
  Param,
  ParseIntPipe,
  Post,
  Put,
  Query,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Response } from 'express';
import { IsIn, IsOptional } from 'class-validator';
import { FieldValidationException, IdempotencyInterceptor, attachment, toFieldErrors } from '@jrp/http';
import { catalogueFromXlsx, catalogueToXlsx, CatalogueXlsxError } from './catalogue-xlsx';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiPropertyOptional,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { AnyRole, CurrentPrincipal, Principal, Roles } from '@jrp/auth';
import { Matches } from 'class-validator';
import { ORGANIZATION_CODE } from '@jrp/contracts';
import { CatalogueDocumentInput, MeasureInput } from './catalogue-document';
import { CatalogueDocumentDto, MeasureBodyDto, PublishVersionDto } from '../dto/catalogue-document.dto';
import {
  CatalogueDiffResponse,
  CatalogueDocumentResponse,
  CatalogueDraftResponse,
  CatalogueVersionListResponse,
  PublishedCatalogueVersionResponse,
  RematchProgressResponse,
} from '../dto/catalogue-version.response';
import { CatalogueVersionsService } from './catalogue-versions.service';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

class ExportQuery {
  @ApiPropertyOptional({ enum: ['json', 'xlsx'], default: 'json' }) @IsOptional() @IsIn(['json', 'xlsx']) format?:
    'json' | 'xlsx';
}

class CodeParam {
  @Matches(ORGANIZATION_CODE) code: string;
}

const withNulls = (m: MeasureBodyDto): Omit<MeasureInput, 'code'> => ({
  ...m,
  category: m.category ?? null,
  termMonths: m.termMonths ?? null,
  termFrom: m.termMonths == null ? null : (m.termFrom ?? 'listing'),
  effectiveFrom: m.effectiveFrom ?? null,
  effectiveTo: m.effectiveTo ?? null,
  scopeRegion: m.scopeRegion ?? null,
});

const documentOf = (dto: CatalogueDocumentDto): CatalogueDocumentInput => ({
  memoranda: dto.memoranda.map((x) => ({
    ...x,
    docNo: x.docNo ?? null,
    year: x.year ?? null,
    signatoryCount: x.signatoryCount ?? null,
  })),
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
  @ApiOperation({
    operationId: 'getCatalogueDraft',
    summary: 'The draft: the whole document and what would stop its publication',
  })
  @ApiOkResponse({ type: CatalogueDraftResponse })
  draft(): Promise<CatalogueDraftResponse> {
    return this.versions.draft();
  }

  @Put('draft')
  @UseInterceptors(IdempotencyInterceptor)
  @Roles('office')
  @ApiOperation({
    operationId: 'replaceCatalogueDraft',
    summary: 'Replace the draft with a whole catalogue (JSON import); a city office only its city’s measures',
  })
  @ApiOkResponse({ type: CatalogueDraftResponse, description: 'the draft after the change' })
  replaceDraft(
    @Body() dto: CatalogueDocumentDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CatalogueDraftResponse> {
    return this.versions.replaceDraft(documentOf(dto), principal);
  }

  @Put('draft/measures/:code')
  @UseInterceptors(IdempotencyInterceptor)
  @Roles('office')
  @ApiOperation({
    operationId: 'putDraftMeasure',
    summary: 'Add or change a measure in the draft; a city office only its city’s measures',
  })
  @ApiOkResponse({ type: CatalogueDraftResponse, description: 'the draft after the change' })
  putMeasure(
    @Param() { code }: CodeParam,
    @Body() dto: MeasureBodyDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CatalogueDraftResponse> {
    return this.versions.putMeasure(code, withNulls(dto), principal);
  }

  @Delete('draft/measures/:code')
  @UseInterceptors(IdempotencyInterceptor)
  @Roles('office')
  @ApiOperation({ operationId: 'deleteDraftMeasure', summary: 'Withdraw a measure in the draft' })
  @ApiOkResponse({ type: CatalogueDraftResponse, description: 'the draft after the change' })
  deleteMeasure(
    @Param() { code }: CodeParam,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CatalogueDraftResponse> {
    return this.versions.deleteMeasure(code, principal);
  }

  @Post('versions')
  @UseInterceptors(IdempotencyInterceptor)
  @Roles('office')
  @ApiOperation({
    operationId: 'publishCatalogueVersion',
    summary: 'Publish the draft as the next version: the live catalogue changes and active entries are re-matched',
  })
  @ApiCreatedResponse({ type: PublishedCatalogueVersionResponse })
  publish(
    @Body() dto: PublishVersionDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<PublishedCatalogueVersionResponse> {
    return this.versions.publish(principal, dto.note);
  }

  @Get('versions')
  @AnyRole()
  @ApiOperation({ operationId: 'listCatalogueVersions', summary: 'Published versions' })
  @ApiOkResponse({ type: CatalogueVersionListResponse })
  async list(): Promise<CatalogueVersionListResponse> {
    return { items: await this.versions.versions() };
  }

  @Get('versions/:version')
  @AnyRole()
  @ApiOperation({
    operationId: 'getCatalogueVersion',
    summary: 'A published version, whole: JSON, or XLSX with Chinese headers (format=xlsx)',
  })
  @ApiExtraModels(CatalogueDocumentResponse)
  @ApiProduces('application/json', XLSX)
  @ApiOkResponse({
    description: 'the document as JSON, or (format=xlsx) 安徽省联合奖惩措施清单-第{version}版.xlsx',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(CatalogueDocumentResponse) } },
      [XLSX]: { schema: { type: 'string', format: 'binary' } },
    },
  })
  async document(
    @Param('version', ParseIntPipe) version: number,
    @Query() q: ExportQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    const document = await this.versions.document(version);
    if (q.format !== 'xlsx') return document;
    const name = `安徽省联合奖惩措施清单-第${version}版.xlsx`;
    res.setHeader('Content-Type', XLSX);
    res.setHeader('Content-Disposition', attachment(name));
    res.send(await catalogueToXlsx(document, name));
  }

  @Post('draft/import')
  @Roles('office')
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(
    FileInterceptor('file', { limits: { fileSize: 10 * 1024 * 1024, files: 1 } }),
    IdempotencyInterceptor,
  )
  @ApiOperation({
    operationId: 'importCatalogueDraft',
    summary: 'Replace the draft with a whole catalogue from a file: XLSX (as exported) or JSON',
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: {
          type: 'string',
          format: 'binary',
          description: 'the catalogue as XLSX (as exported, Chinese headers) or JSON, at most 10 MB',
        },
      },
    },
  })
  @ApiCreatedResponse({ type: CatalogueDraftResponse, description: 'the draft after the import' })
  async importDraft(
    @UploadedFile() file: Express.Multer.File | undefined,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CatalogueDraftResponse> {
    if (!file)
      throw new FieldValidationException([{ field: 'file', message: 'an XLSX or JSON catalogue is required' }]);
    let raw: unknown;
    try {
      raw =
        file.buffer.subarray(0, 2).toString('latin1') === 'PK'
          ? await catalogueFromXlsx(file.buffer)
          : JSON.parse(file.buffer.toString('utf8'));
    } catch (error) {
      if (!(error instanceof CatalogueXlsxError))
        throw new FieldValidationException(
          [{ field: 'file', message: 'is neither an XLSX nor a JSON catalogue (既不是 XLSX 也不是 JSON 格式的清单)' }],
          'the file is neither an XLSX nor a JSON catalogue',
        );
      const errors = [{ field: 'file', message: error.message }];
      // a workbook past the reader's bounds (a zip bomb, a million rows): 413; the draft is untouched either way
      if (error.tooLarge)
        throw new HttpException({ detail: 'the catalogue workbook is too large to import', errors }, 413);
      throw new FieldValidationException(errors, 'the file is not a catalogue workbook');
    }
    const dto = plainToInstance(CatalogueDocumentDto, raw);
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true });
    if (errors.length) throw new FieldValidationException(toFieldErrors(errors).slice(0, 50));
    return this.versions.replaceDraft(documentOf(dto), principal);
  }

  @Get('versions/:a/diff/:b')
  @AnyRole()
  @ApiOperation({
    operationId: 'diffCatalogueVersions',
    summary: 'What changed from version a to version b: added, removed and changed, by code',
  })
  @ApiOkResponse({ type: CatalogueDiffResponse })
  diff(@Param('a', ParseIntPipe) a: number, @Param('b', ParseIntPipe) b: number): Promise<CatalogueDiffResponse> {
    return this.versions.diff(a, b);
  }

  @Get('versions/:version/rematch')
  @Roles('office', 'admin')
  @ApiOperation({
    operationId: 'getCatalogueRematch',
    summary: 'Progress of re-matching the active entries after a version',
  })
  @ApiOkResponse({ type: RematchProgressResponse })
  rematch(@Param('version', ParseIntPipe) version: number): Promise<RematchProgressResponse> {
    return this.versions.rematchProgress(version);
  }
}
