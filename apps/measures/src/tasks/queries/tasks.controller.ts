import { Controller, ForbiddenException, Get, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@jrp/auth';
import { decodeSeqCursor, encodeCursor, PageOf } from '@jrp/http';
import { TaskResponse } from '../dto/task.response';
import { STATUS_LABELS } from '../task-labels';
import { TasksQueryDto } from './dto/tasks-query.dto';
import { TaskQueriesRepository, TaskRow } from './task-queries.repository';

/** What a task looks like now: each measure with the feedback recorded on it (partial feedback shows). */
export function taskView(row: TaskRow) {
  const { seq: _seq, feedback, measures, ...rest } = row;
  return {
    ...rest,
    statusLabel: STATUS_LABELS[row.status],
    measures: measures.map((m) => ({ ...m, feedback: feedback[m.id] ?? null })),
  };
}

/**
 * Tasks' current state (联合奖惩任务): an implementing organisation sees its own, the office every
 * organisation's (returned tasks waiting for reassignment among them).
 */
@ApiTags('tasks 任务')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TaskQueriesRepository) {}

  @Get()
  @Roles('implementer', 'office')
  @ApiOperation({ summary: "Tasks by state, oldest first: the caller's own, or for the office every organisation's" })
  @ApiOkResponse({ type: PageOf(TaskResponse) })
  async list(@Query() query: TasksQueryDto, @CurrentPrincipal() principal: Principal) {
    const office = this.seesAll(principal);
    if (query.organization !== undefined && !office)
      throw new ForbiddenException('only the office filters by organisation');
    const after = decodeSeqCursor(query.after);
    const rows = await this.tasks.list({
      ...this.scope(principal),
      ...(office && query.organization !== undefined ? { organization: query.organization } : {}),
      status: query.status,
      overdue: query.overdue,
      listType: query.listType,
      afterSeq: after,
      limit: query.limit ?? 100,
    });
    return { items: rows.map(taskView), next: encodeCursor(rows.length ? rows[rows.length - 1].seq : after) };
  }

  @Get(':id')
  @Roles('implementer', 'office')
  @ApiOperation({ summary: "One task as it stands (another organisation's answers 404)" })
  @ApiOkResponse({ type: TaskResponse })
  async get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal) {
    const row = await this.tasks.one(id, this.scope(principal));
    if (!row) throw new NotFoundException('no such task');
    return taskView(row);
  }

  private seesAll(principal: Principal): boolean {
    return principal.roles.includes('office');
  }

  /** Whose tasks the caller reaches: its own; the provincial office all; a city office its city's. */
  private scope(principal: Principal): { organization?: string; city?: string } {
    if (!this.seesAll(principal)) return { organization: principal.organization.code };
    return principal.organization.level === 'city' ? { city: principal.organization.region } : {};
  }
}
