import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Roles } from '@jrp/auth';
import { CompletionRow, feedbackRate } from './completion-report';

@ApiTags('reports 报表')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(@InjectDataSource('feedback') private readonly dataSource: DataSource) {}

  @Get('completion')
  @Roles('office')
  @ApiOperation({ summary: 'Completion by implementing organisation: dispatched, revoked, fed back, feedback rate' })
  async completion() {
    const rows: { organization: string; organizationName: string; dispatched: number; revoked: number; withFeedback: number; revokedWithoutFeedback: number }[] =
      await this.dataSource.query(`
        SELECT t.organization, max(t.organization_name) AS "organizationName",
               count(*)::int AS dispatched,
               count(*) FILTER (WHERE t.status = 'revoked')::int AS revoked,
               count(*) FILTER (WHERE f.task_id IS NOT NULL)::int AS "withFeedback",
               count(*) FILTER (WHERE t.status = 'revoked' AND f.task_id IS NULL)::int AS "revokedWithoutFeedback"
        FROM known_tasks t
        LEFT JOIN (SELECT DISTINCT task_id FROM feedback) f ON f.task_id = t.id
        GROUP BY t.organization ORDER BY t.organization`);
    const items: CompletionRow[] = rows.map((r) => ({
      organization: r.organization,
      organizationName: r.organizationName,
      dispatched: r.dispatched,
      revoked: r.revoked,
      withFeedback: r.withFeedback,
      feedbackRate: feedbackRate(r.dispatched, r.revokedWithoutFeedback, r.withFeedback),
    }));
    const sum = (k: 'dispatched' | 'revoked' | 'withFeedback' | 'revokedWithoutFeedback') => rows.reduce((a, r) => a + r[k], 0);
    return {
      title: '联合奖惩任务完成情况',
      columns: { organization: '实施部门', dispatched: '下发任务数', revoked: '撤销任务数', withFeedback: '已反馈任务数', feedbackRate: '反馈率' },
      items,
      totals: {
        dispatched: sum('dispatched'),
        revoked: sum('revoked'),
        withFeedback: sum('withFeedback'),
        feedbackRate: feedbackRate(sum('dispatched'), sum('revokedWithoutFeedback'), sum('withFeedback')),
      },
      generatedAt: new Date().toISOString(),
    };
  }
}
