import { FieldValidationException, IdempotencyInterceptor } from '@jrp/http';
import {
  Body,
  Controller,
  Headers,
  HttpCode,
  HttpException,
  Post,
  Query,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@jrp/auth';
import { batchFromFile, BatchFileError, batchToXlsx } from './batch-file';
import { BatchChecksService, batchSheetRows } from './batch-checks.service';
import { BatchSubjectInput } from './batch-rows';
import { ChecksService } from './checks.service';
import { BatchCheckDto, BatchCheckQueryDto, BatchCheckResultView } from './dto/batch-check.dto';
import { CheckDto, CheckResultView } from './dto/check.dto';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** An uploaded batch file: 10,000 rows fit well within it. */
const MAX_BATCH_FILE_BYTES = 5 * 1024 * 1024;

/** Counter checks (嵌入式联合奖惩) from the implementing departments' business systems. */
@ApiTags('checks 核查')
@ApiBearerAuth()
@Controller('checks')
export class ChecksController {
  constructor(
    private readonly checks: ChecksService,
    private readonly batches: BatchChecksService,
  ) {}

  @Post()
  @HttpCode(200)
  @Roles('implementer')
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({
    operationId: 'checkSubject',
    summary:
      'Is this subject listed, and which of the caller’s measures apply? Recorded; a listed subject links the business to the caller’s tasks',
  })
  @ApiOkResponse({ type: CheckResultView, description: 'the answer; the check is recorded either way' })
  check(@Body() dto: CheckDto, @CurrentPrincipal() principal: Principal): Promise<CheckResultView> {
    return this.checks.check(dto, principal.organization.code);
  }

  @Post('batch')
  @HttpCode(200)
  @Roles('implementer')
  @UseInterceptors(
    FileInterceptor('file', { limits: { fileSize: MAX_BATCH_FILE_BYTES, files: 1 } }),
    IdempotencyInterceptor,
  )
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiExtraModels(BatchCheckDto)
  @ApiBody({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(BatchCheckDto) },
        {
          type: 'object',
          required: ['file', 'businessType', 'reference'],
          properties: {
            file: {
              type: 'string',
              format: 'binary',
              description: 'CSV (UTF-8 or GB18030) or XLSX with headers 主体名称, 统一社会信用代码, 证件类型, 证件号码',
            },
            businessType: { type: 'string' },
            reference: { type: 'string' },
          },
        },
      ],
    },
  })
  @ApiOperation({
    operationId: 'checkSubjectsBatch',
    summary:
      'Batch comparison (批量比对): up to 10,000 subjects (JSON or an uploaded CSV/XLSX), answered row by row in order; ?format=xlsx for a workbook',
  })
  @ApiOkResponse({
    type: BatchCheckResultView,
    description: 'each row listed or not, or why it could not be checked; every checked row recorded as a check',
  })
  async batch(
    @Body() dto: BatchCheckDto,
    @Query() query: BatchCheckQueryDto,
    @Headers('accept') accept: string | undefined,
    @UploadedFile() file: Express.Multer.File | undefined,
    @CurrentPrincipal() principal: Principal,
  ): Promise<BatchCheckResultView | StreamableFile> {
    let inputs: BatchSubjectInput[];
    if (file) {
      if (dto.subjects !== undefined)
        throw new FieldValidationException([{ field: 'subjects', message: 'must not be given with a file' }]);
      try {
        inputs = await batchFromFile(file.buffer);
      } catch (error) {
        if (!(error instanceof BatchFileError)) throw error;
        const errors = [{ field: 'file', message: error.message }];
        if (error.tooLarge) throw new HttpException({ detail: '文件过大，无法比对', errors }, 413);
        throw new FieldValidationException(errors, 'the file cannot be read as a batch');
      }
    } else {
      if (dto.subjects === undefined)
        throw new FieldValidationException([
          { field: 'subjects', message: 'is required (or upload a CSV/XLSX as `file`)' },
        ]);
      inputs = dto.subjects as BatchSubjectInput[];
    }
    const view = await this.batches.batch(inputs, dto.businessType, dto.reference, principal.organization.code);
    if (query.format !== 'xlsx' && !(accept ?? '').includes(XLSX)) return view;
    return new StreamableFile(await batchToXlsx(batchSheetRows(view)), {
      type: XLSX,
      disposition: `attachment; filename*=UTF-8''${encodeURIComponent('批量比对结果.xlsx')}`,
    });
  }
}
