import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Principal, Roles } from '@jrp/auth';
import { PublishEntryDto } from './dto/publish-entry.dto';
import { TransitionDto } from './dto/transition.dto';
import { EntriesService } from './entries.service';

@ApiTags('lists 红黑名单')
@ApiBearerAuth()
@Controller('lists/entries')
export class EntriesController {
  constructor(private readonly entries: EntriesService) {}

  @Post()
  @Roles('publisher', 'office')
  @ApiOperation({ summary: 'Publish a red/black list entry (201 new, 200 when the same entry exists)' })
  async publish(@Body() dto: PublishEntryDto, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: Response) {
    const { created, entry } = await this.entries.publish(dto, principal);
    res.status(created ? 201 : 200);
    return entry;
  }

  @Post(':id/transitions')
  @HttpCode(200)
  @Roles('publisher', 'office')
  @ApiOperation({ summary: 'Move an entry through its lifecycle (remove: 移出)' })
  transition(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: TransitionDto, @CurrentPrincipal() principal: Principal) {
    return this.entries.transition(id, dto, principal);
  }

  @Get(':id')
  @Roles('publisher', 'office', 'admin')
  @ApiOperation({ summary: 'One entry: current state and version (a publisher sees its own)' })
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal) {
    return this.entries.get(id, principal);
  }
}
