import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { AuditRecorder } from '@jrp/audit';
import { hasRole, Principal, reachOf } from '@jrp/auth';
import { decodeSeqCursor, cursorPage } from '@jrp/http';
import { STATUS_LABELS } from '../task-labels';
import { TasksQueryDto } from './dto/tasks-query.dto';
import { TaskQueriesRepository, TaskRow } from './task-queries.repository';

/** What a task looks like now: each measure with the feedback recorded on it (partial feedback shows). */
export function taskView(row: TaskRow) {
  const { seq: _seq, feedback, measures, ...rest } = row;
  return {
    ...rest,
    statusLabel: STATUS_LABELS[row.status],
    measures: measures.map((measure) => ({ ...measure, feedback: feedback[measure.id] ?? null })),
  };
}

/** How an audit record names a page of rows read by `seq`: `seq <first>..<last> (<how many>)`. */
export function seqRange(rows: { seq: string }[]): string {
  return `seq ${rows[0].seq}..${rows[rows.length - 1].seq} (${rows.length})`;
}

/**
 * Tasks' current state as a caller may see it: an implementing organisation its own, the provincial
 * office every organisation's, a city office its city's. Each read that returns tasks (their subjects)
 * is audited, once per request.
 */
@Injectable()
export class TaskQueriesService {
  constructor(
    private readonly tasks: TaskQueriesRepository,
    private readonly audit: AuditRecorder,
  ) {}

  /** Tasks by state, oldest first, paged by cursor. */
  async list(query: TasksQueryDto, principal: Principal) {
    const office = hasRole(principal, 'office');
    if (query.organization !== undefined && !office) {
      throw new ForbiddenException('only the office filters by organisation');
    }
    const after = decodeSeqCursor(query.after);
    const limit = query.limit ?? 100;
    const rows = await this.tasks.list({
      ...reachOf(principal),
      ...(office && query.organization !== undefined ? { organization: query.organization } : {}),
      status: query.status,
      overdue: query.overdue,
      listType: query.listType,
      afterSeq: after,
      limit: limit + 1,
    });
    const page = cursorPage(rows, limit, after, (r) => r.seq, taskView);
    if (page.items.length > 0)
      await this.audit.recordRead({
        action: 'task.list',
        objectType: 'task',
        objectId: seqRange(rows.slice(0, limit)),
      });
    return page;
  }

  /** One task the caller reaches; another organisation's answers 404. */
  async get(id: string, principal: Principal) {
    const task = await this.view(id, reachOf(principal));
    await this.audit.recordRead({ action: 'task.read', objectType: 'task', objectId: id });
    return task;
  }

  /** One task as it stands, within `scope` (no scope: any task). */
  async view(id: string, scope: { organization?: string; city?: string } = {}) {
    const row = await this.tasks.one(id, scope);
    if (!row) throw new NotFoundException('no such task');
    return taskView(row);
  }
}
