import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, Roles } from '@jrp/auth';
import { attachment } from '@jrp/http';
import { ImportRequestDto } from './dto/import-request.dto';
import { ImportAcceptedResponse, ImportJobResponse } from './dto/import.response';
import { ImportsService } from './imports.service';
import { writeTemplateXlsx } from './parsing';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

@ApiTags('lists 红黑名单')
@ApiBearerAuth()
@Controller('lists/imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post()
  @HttpCode(202)
  @Roles('publisher', 'office')
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(FileInterceptor('file'))
  @ApiOperation({
    operationId: 'createImport',
    summary: 'Import a CSV or XLSX file of entries as a job (field file; mode=full with listType for a full push)',
  })
  @ApiAcceptedResponse({ type: ImportAcceptedResponse })
  upload(
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() dto: ImportRequestDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ImportAcceptedResponse> {
    return this.imports.accept(file, dto, principal);
  }

  @Get('template')
  @Roles('publisher', 'office')
  @ApiOperation({
    operationId: 'getImportTemplate',
    summary: 'The XLSX template with the Chinese headers and the allowed values',
  })
  @ApiProduces(XLSX)
  @ApiOkResponse({
    description: '红黑名单导入模板.xlsx',
    content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } },
  })
  async template(@Res() res: Response): Promise<void> {
    res.setHeader('Content-Type', XLSX);
    res.setHeader('Content-Disposition', attachment('红黑名单导入模板.xlsx'));
    await writeTemplateXlsx(res);
    res.end();
  }

  @Get(':id')
  @Roles('publisher', 'office')
  @ApiOperation({ operationId: 'getImport', summary: 'An import job: status and counts (accepted, rejected)' })
  @ApiOkResponse({ type: ImportJobResponse })
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal) {
    return this.imports.get(id, principal);
  }

  @Get(':id/errors')
  @Roles('publisher', 'office')
  @ApiOperation({
    operationId: 'getImportErrors',
    summary: 'The rejected rows as CSV (UTF-8 with BOM) with a reason column',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: '导入错误-{id}.csv',
    content: { 'text/csv': { schema: { type: 'string', format: 'binary' } } },
  })
  async errors(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ): Promise<void> {
    const csv = await this.imports.errorsCsv(id, principal);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', attachment(`导入错误-${id}.csv`));
    res.send(csv);
  }
}
