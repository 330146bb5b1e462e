import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, Roles } from '@jrp/auth';
import { attachment } from '@jrp/http';
import { ImportRequestDto } from './dto/import-request.dto';
import { ImportsService } from './imports.service';
import { writeTemplateXlsx } from './parsing';

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
  @ApiOperation({ summary: 'Import a CSV or XLSX file of entries as a job (field file; mode=full with listType for a full push)' })
  upload(@UploadedFile() file: Express.Multer.File | undefined, @Body() dto: ImportRequestDto, @CurrentPrincipal() principal: Principal) {
    return this.imports.accept(file, dto, principal);
  }

  @Get('template')
  @Roles('publisher', 'office')
  @ApiOperation({ summary: 'The XLSX template with the Chinese headers and the allowed values' })
  async template(@Res() res: Response): Promise<void> {
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', attachment('红黑名单导入模板.xlsx'));
    await writeTemplateXlsx(res);
    res.end();
  }

  @Get(':id')
  @Roles('publisher', 'office')
  @ApiOperation({ summary: 'An import job: status and counts (accepted, rejected)' })
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal) {
    return this.imports.get(id, principal);
  }

  @Get(':id/errors')
  @Roles('publisher', 'office')
  @ApiOperation({ summary: 'The rejected rows as CSV (UTF-8 with BOM) with a reason column' })
  async errors(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal, @Res() res: Response): Promise<void> {
    const csv = await this.imports.errorsCsv(id, principal);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', attachment(`导入错误-${id}.csv`));
    res.send(csv);
  }
}
