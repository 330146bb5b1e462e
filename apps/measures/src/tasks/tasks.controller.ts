import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@jrp/auth';
import { decodeSeqCursor, encodeCursor } from '@jrp/http';
import { FeedQueryDto } from './dto/feed-query.dto';
import { TaskFeedRepository } from './task-feed.repository';

const STATUS_LABELS: Record<string, string> = { open: '待实施', revoked: '已撤销' };
const TYPE_LABELS: Record<string, string> = { dispatched: '下发', updated: '更新', revoked: '撤销' };

/** A department's tasks (联合奖惩任务): the change feed and single tasks, its own only. */
@ApiTags('tasks 任务')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(private readonly feed: TaskFeedRepository) {}

  @Get('feed')
  @Roles('implementer')
  @ApiOperation({ summary: "The caller's task changes in order, resumable from any cursor" })
  async read(@Query() query: FeedQueryDto, @CurrentPrincipal() principal: Principal) {
    const after = decodeSeqCursor(query.after);
    const changes = await this.feed.read(principal.organization.code, after, query.limit ?? 100);
    const items = changes.map((c) => ({
      cursor: encodeCursor(c.seq),
      type: c.type,
      typeLabel: TYPE_LABELS[c.type],
      task: {
        id: c.task.taskId,
        version: c.task.version,
        entryId: c.task.entryId,
        listType: c.task.listType,
        listTypeName: c.task.listTypeName,
        region: c.task.region,
        subject: c.task.subject,
        measures: c.task.measures,
        status: c.task.status,
        statusLabel: STATUS_LABELS[c.task.status],
        disputed: c.task.disputed === true,
        dueAt: c.task.dueAt ?? null,
        ...(c.task.disputed ? { disputedLabel: '异议处理中' } : {}),
        changedAt: c.task.changedAt,
      },
    }));
    return { items, next: items.length ? items[items.length - 1].cursor : encodeCursor(after) };
  }

  @Get(':id')
  @Roles('implementer')
  @ApiOperation({ summary: "One of the caller's tasks (another organisation's answers 404)" })
  async get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal) {
    const task = await this.feed.task(id, principal.organization.code);
    if (!task) throw new NotFoundException('no such task');
    return { ...task, statusLabel: STATUS_LABELS[task.status as string] };
  }
}
