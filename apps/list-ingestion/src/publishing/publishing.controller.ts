import { Body, Controller, UseInterceptors, HttpCode, Post, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { IdempotencyInterceptor } from '@jrp/http';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, Roles } from '@jrp/auth';
import { PublishBatchDto } from './dto/publish-batch.dto';
import { PublishEntryDto } from './dto/publish-entry.dto';
import { BatchPublishResponse, PublishedEntryResponse } from './dto/publish.response';
import { PublishingService } from './publishing.service';

@ApiTags('lists 红黑名单')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a repeated key replays the first result' })
@UseInterceptors(IdempotencyInterceptor)
@Controller('lists/entries')
export class PublishingController {
  constructor(private readonly publishing: PublishingService) {}

  @Post()
  @Roles('publisher', 'office')
  @ApiOperation({
    operationId: 'publishEntry',
    summary:
      'Publish an entry: 201 new; 200 when the same (list type, subject, document number) exists (updated or unchanged)',
  })
  @ApiCreatedResponse({ type: PublishedEntryResponse, description: 'a new entry' })
  @ApiOkResponse({ type: PublishedEntryResponse, description: 'the entry existed: updated, or unchanged' })
  async publish(
    @Body() dto: PublishEntryDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const r = await this.publishing.publishOne(dto, principal);
    res.status(r.status === 'created' ? 201 : 200);
    return { id: r.id, version: r.version, status: r.entryStatus, outcome: r.status };
  }

  @Post('batch')
  @HttpCode(200)
  @Roles('publisher', 'office')
  @ApiOperation({
    operationId: 'publishEntries',
    summary:
      'Publish up to 10,000 entries, each on its own; mode full removes the list type’s entries the push lacks, within a removal limit (dryRun: nothing changed)',
  })
  @ApiOkResponse({ type: BatchPublishResponse })
  @ApiConflictResponse({
    description:
      'a full push that would remove more than its limit (maxRemovals, maxRemovalShare; by default 10 %, at least 1) or not the confirmed number: nothing changed; wouldRemove, listed and limit in the body',
  })
  async batch(@Body() dto: PublishBatchDto, @CurrentPrincipal() principal: Principal): Promise<BatchPublishResponse> {
    const { results, removed, removals, limit } = await this.publishing.publishMany(dto.entries, principal, {
      mode: dto.mode,
      listType: dto.listType,
      dryRun: dto.dryRun,
      maxRemovals: dto.maxRemovals,
      maxRemovalShare: dto.maxRemovalShare,
      confirmRemovals: dto.confirmRemovals,
    });
    const count = (s: string) => results.filter((r) => r.status === s).length;
    return {
      mode: dto.mode ?? 'incremental',
      dryRun: dto.dryRun === true,
      counts: {
        created: count('created'),
        updated: count('updated'),
        unchanged: count('unchanged'),
        rejected: count('rejected'),
        removed,
      },
      results,
      ...(dto.mode === 'full' ? { removals, removalLimit: limit } : {}),
    };
  }
}
