import { BadRequestException, Injectable } from '@nestjs/common';
import { Principal } from '@jrp/auth';
import { ANHUI_CITIES, PROVINCE_CODE } from '@jrp/domain';
import { Clock } from '../clock';
import { feedbackRate, implementedShare, share, timelinessRate } from '../statistics/definitions';
import { Grouping, ReportQueryDto } from './dto/report-query.dto';
import { ReportColumn, ReportTable } from './report-table';
import { LIFTING_STATE_LABELS, liftingStateOf, REVOCATION_REASON_LABELS } from './lifting-state';
import { CounterSums, ReportScope, ReportsRepository } from './reports.repository';

/** 考核指标 targets (皖信用办〔2018〕21号): cases ≥ 10% of national-level entries (item 14), commitments ≥ 30% of black-listed companies (item 26), repair training for every black-listed company (item 16), feedback on every task (item 12). */
export const TARGETS = { caseRatio: 0.1, commitmentRate: 0.3, trainingCoverage: 1, feedbackRate: 1 } as const;

const GROUP_HEADERS: Record<Grouping, string> = {
  organization: '实施部门',
  listType: '名单类型',
  memorandum: '合作备忘录',
  region: '地区',
  week: '下发周（周一）',
};

const count = (key: string, header: string): ReportColumn => ({ key, header, kind: 'count' });
const rate = (key: string, header: string): ReportColumn => ({ key, header, kind: 'rate' });
const text = (key: string, header: string): ReportColumn => ({ key, header, kind: 'text' });

/** The name of a city code: one of the 16 cities, or 省本级 for the province's own entries and tasks. */
export const regionName = (code: string): string => (code === PROVINCE_CODE ? '省本级' : (ANHUI_CITIES[code] ?? code));

/** The office's reports, each one table in JSON, CSV and XLSX. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly repo: ReportsRepository,
    private readonly clock: Clock,
  ) {}

  /** Whose data the caller reaches (a city office: its city) over which period; 400 when the period is backwards. */
  scope(q: ReportQueryDto, principal: Principal): ReportScope {
    if (q.from && q.to && q.from > q.to)
      throw new BadRequestException({
        detail: 'the period ends before it starts',
        errors: [{ field: 'to', message: 'is before from' }],
      });
    return {
      from: q.from ?? null,
      to: q.to ?? null,
      city: principal.organization.level === 'city' ? principal.organization.region : null,
    };
  }

  /** 完成情况: counters, rates and cases per group (per memorandum: measure items), with totals. */
  async completion(grouping: Grouping, s: ReportScope): Promise<ReportTable> {
    const now = this.clock.now();
    const [sums, cases, overdue, names, totalCases] = await Promise.all([
      this.repo.counters(grouping, s),
      this.repo.cases(grouping, s),
      this.repo.overdue(grouping, s, now),
      this.repo.names(grouping),
      this.repo.cases('total', s),
    ]);
    const keys = [...new Set([...sums.map((r) => r.key), ...cases.keys()])].sort();
    const byKey = new Map(sums.map((r) => [r.key, r]));
    const row = (key: string | null, c: Omit<CounterSums, 'key'>, n: { cases: number; overdue: number }) => ({
      ...(key === null ? {} : { [grouping]: key, name: this.nameOf(grouping, key, names) }),
      dispatched: c.dispatched,
      acknowledged: c.acknowledged,
      due: c.due,
      fedBack: c.fedBack,
      onTime: c.onTime,
      overdue: n.overdue,
      feedbackRate: feedbackRate(c.fedBack, c.due),
      timelinessRate: timelinessRate(c.onTime, c.due),
      implementedShare: implementedShare(c.itemsImplemented, c.itemsFinal),
      cases: n.cases,
    });
    const zero = { dispatched: 0, acknowledged: 0, due: 0, fedBack: 0, onTime: 0, itemsFinal: 0, itemsImplemented: 0 };
    const rows = keys.map((k) =>
      row(k, byKey.get(k) ?? zero, { cases: cases.get(k) ?? 0, overdue: overdue.get(k) ?? 0 }),
    );
    const total = Object.fromEntries(
      (Object.keys(zero) as (keyof typeof zero)[]).map((k) => [k, sums.reduce((a, r) => a + r[k], 0)]),
    ) as typeof zero;
    const items = grouping === 'memorandum' ? '措施项' : '任务';
    return {
      title:
        grouping === 'memorandum'
          ? '联合奖惩措施项反馈情况（按合作备忘录）'
          : `联合奖惩任务完成情况（按${GROUP_HEADERS[grouping]}）`,
      name: `联合奖惩完成情况-${grouping}`,
      period: { from: s.from, to: s.to },
      generatedAt: now,
      columns: [
        text('name', GROUP_HEADERS[grouping]),
        count('dispatched', `下发${items}数`),
        count('acknowledged', '已签收'),
        count('due', `应反馈${items}数`),
        count('fedBack', '已反馈'),
        count('onTime', '按时反馈'),
        count('overdue', '逾期未反馈'),
        rate('feedbackRate', '反馈率'),
        rate('timelinessRate', '及时率'),
        rate('implementedShare', '已实施占比'),
        count('cases', '案例数'),
      ],
      rows,
      totals: row(null, total, {
        cases: totalCases.get('') ?? 0,
        overdue: [...overdue.values()].reduce((a, n) => a + n, 0),
      }),
    };
  }

  /** 督办: overdue tasks by organisation, the oldest due first, and how many each organisation has. */
  async overdue(s: ReportScope, limit: number): Promise<ReportTable> {
    const now = this.clock.now();
    const [tasks, summary] = await Promise.all([
      this.repo.overdueTasks(s, now, limit),
      this.repo.overdueSummary(s, now),
    ]);
    const total = summary.reduce((a, r) => a + r.overdue, 0);
    return {
      title: '逾期未反馈任务督办清单',
      name: '逾期未反馈任务督办清单',
      period: { from: s.from, to: s.to },
      generatedAt: now,
      columns: [
        text('organizationName', '实施部门'),
        text('taskId', '任务编号'),
        text('listTypeName', '名单类型'),
        text('regionName', '地区'),
        { key: 'dispatchedOn', header: '下发日期', kind: 'date' },
        { key: 'dueAt', header: '反馈期限', kind: 'datetime' },
        count('overdueDays', '逾期天数'),
        text('acknowledgedLabel', '是否签收'),
        count('openItems', '未反馈措施项'),
      ],
      rows: tasks.map((t) => ({
        ...t,
        dueAt: new Date(t.dueAt as string).toISOString(),
        regionName: regionName(t.city as string),
        overdueDays: Math.ceil((now.getTime() - new Date(t.dueAt as string).getTime()) / 86_400_000),
        acknowledgedLabel: t.acknowledged ? '已签收' : '未签收',
      })),
      totals: { openItems: tasks.reduce((a, t) => a + (t.openItems as number), 0) },
      extra: {
        total,
        truncated: tasks.length < total,
        byOrganization: summary.map((r) => ({ ...r, oldestDueAt: new Date(r.oldestDueAt).toISOString() })),
      },
    };
  }

  /** 案例台账: the cases of the period. */
  async cases(s: ReportScope, limit: number): Promise<ReportTable> {
    const now = this.clock.now();
    const rows = await this.repo.caseList(s, limit);
    const total = (await this.repo.cases('total', s)).get('') ?? 0;
    return {
      title: '联合奖惩案例台账',
      name: '联合奖惩案例台账',
      period: { from: s.from, to: s.to },
      generatedAt: now,
      columns: [
        text('title', '案例标题'),
        text('organizationName', '实施部门'),
        text('listTypeName', '名单类型'),
        text('measures', '涉及措施'),
        { key: 'occurredAt', header: '发生日期', kind: 'date' },
        text('regionName', '地区'),
        text('publishable', '可公示'),
        text('effect', '实施效果'),
        { key: 'recordedAt', header: '报送时间', kind: 'datetime' },
      ],
      rows: rows.map((r) => ({
        ...r,
        recordedAt: new Date(r.recordedAt as string).toISOString(),
        regionName: regionName(r.city as string),
      })),
      extra: { total, truncated: rows.length < total },
    };
  }

  /**
   * 解除确认: per revoked entry (a repair, removal, expiry or upheld objection) and per department, whether
   * the department confirmed that it lifted the measures, is still within its deadline, or is overdue.
   */
  async lifting(s: ReportScope, limit: number): Promise<ReportTable> {
    const now = this.clock.now();
    const [tasks, totals] = await Promise.all([this.repo.liftingTasks(s, limit), this.repo.liftingTotals(s, now)]);
    const rows = tasks.map((t) => {
      const state = liftingStateOf(new Date(t.liftBy), t.confirmedAt ? new Date(t.confirmedAt) : null, now);
      return {
        entryId: t.entryId,
        listType: t.listType,
        listTypeName: t.listTypeName,
        city: t.city,
        regionName: regionName(t.city),
        reason: t.reason,
        reasonLabel: REVOCATION_REASON_LABELS[t.reason] ?? t.reason,
        revokedAt: new Date(t.revokedAt).toISOString(),
        taskId: t.taskId,
        organization: t.organization,
        organizationName: t.organizationName,
        liftBy: new Date(t.liftBy).toISOString(),
        state,
        stateLabel: LIFTING_STATE_LABELS[state],
        liftedAt: t.liftedAt ? new Date(t.liftedAt).toISOString() : null,
        confirmedAt: t.confirmedAt ? new Date(t.confirmedAt).toISOString() : null,
        note: t.note,
      };
    });
    const entries = new Map<
      string,
      Record<string, unknown> & { confirmed: string[]; pending: string[]; overdue: string[] }
    >();
    for (const r of rows) {
      const entry = entries.get(r.entryId) ?? {
        entryId: r.entryId,
        listType: r.listType,
        listTypeName: r.listTypeName,
        reason: r.reason,
        reasonLabel: r.reasonLabel,
        revokedAt: r.revokedAt,
        confirmed: [],
        pending: [],
        overdue: [],
      };
      entry[r.state].push(r.organization);
      entries.set(r.entryId, entry);
    }
    return {
      title: '撤销任务解除措施确认情况',
      name: '撤销任务解除措施确认情况',
      period: { from: s.from, to: s.to },
      generatedAt: now,
      columns: [
        text('entryId', '名单条目编号'),
        text('listTypeName', '名单类型'),
        text('regionName', '地区'),
        text('reasonLabel', '撤销原因'),
        { key: 'revokedAt', header: '撤销时间', kind: 'datetime' },
        text('organizationName', '实施部门'),
        { key: 'liftBy', header: '确认期限', kind: 'datetime' },
        text('stateLabel', '确认状态'),
        { key: 'liftedAt', header: '解除时间', kind: 'datetime' },
        { key: 'confirmedAt', header: '确认时间', kind: 'datetime' },
        text('note', '说明'),
      ],
      rows,
      totals: {
        listTypeName: `${totals.entries} 条名单条目`,
        organizationName: `${totals.tasks} 个部门任务`,
        stateLabel: `已确认 ${totals.confirmed}，待确认 ${totals.pending}，逾期未确认 ${totals.overdue}`,
      },
      extra: {
        summary: totals,
        entries: [...entries.values()],
        truncated: rows.length < totals.tasks,
      },
    };
  }

  /** 考核指标 per city (a city office: its own) and for the province, against their targets. */
  async assessment(s: ReportScope): Promise<ReportTable> {
    const now = this.clock.now();
    const [entries, cases, tasks] = await Promise.all([
      this.repo.entriesByCity(s),
      this.repo.cases('region', s),
      this.repo.counters('region', s),
    ]);
    const cities = s.city ? [s.city] : [...Object.keys(ANHUI_CITIES), PROVINCE_CODE];
    const e = new Map(entries.map((r) => [r.key, r]));
    const t = new Map(tasks.map((r) => [r.key, r]));
    const met = (value: number | null, target: number) => (value === null ? '—' : value >= target ? '达标' : '未达标');
    const row = (
      region: string | null,
      n: {
        cases: number;
        national: number;
        black: number;
        committed: number;
        trained: number;
        due: number;
        fedBack: number;
      },
    ) => {
      const caseRatio = share(n.cases, n.national);
      const commitmentRate = share(n.committed, n.black);
      const trainingCoverage = share(n.trained, n.black);
      const rate = feedbackRate(n.fedBack, n.due);
      return {
        ...(region === null ? {} : { region, regionName: regionName(region) }),
        cases: n.cases,
        nationalEntries: n.national,
        caseRatio,
        caseMet: met(caseRatio, TARGETS.caseRatio),
        blackEntities: n.black,
        committed: n.committed,
        commitmentRate,
        commitmentMet: met(commitmentRate, TARGETS.commitmentRate),
        trained: n.trained,
        trainingCoverage,
        trainingMet: met(trainingCoverage, TARGETS.trainingCoverage),
        due: n.due,
        fedBack: n.fedBack,
        feedbackRate: rate,
        feedbackMet: met(rate, TARGETS.feedbackRate),
      };
    };
    const numbers = cities.map((c) => ({
      region: c,
      cases: cases.get(c) ?? 0,
      national: e.get(c)?.national ?? 0,
      black: e.get(c)?.black ?? 0,
      committed: e.get(c)?.committed ?? 0,
      trained: e.get(c)?.trained ?? 0,
      due: t.get(c)?.due ?? 0,
      fedBack: t.get(c)?.fedBack ?? 0,
    }));
    const sum = (k: keyof (typeof numbers)[number]) => numbers.reduce((a, n) => a + (n[k] as number), 0);
    return {
      title: s.city ? `${regionName(s.city)}联合奖惩考核指标` : '全省联合奖惩考核指标',
      name: '联合奖惩考核指标',
      period: { from: s.from, to: s.to },
      generatedAt: now,
      columns: [
        text('regionName', '地区'),
        count('cases', '案例数'),
        count('nationalEntries', '国家层面认定红黑名单数'),
        rate('caseRatio', '案例占比（目标≥10%）'),
        text('caseMet', '案例达标'),
        count('blackEntities', '黑名单企业数'),
        count('committed', '作出信用承诺数'),
        rate('commitmentRate', '信用承诺率（目标≥30%）'),
        text('commitmentMet', '承诺达标'),
        count('trained', '参加信用修复培训数'),
        rate('trainingCoverage', '修复培训覆盖率（目标100%）'),
        text('trainingMet', '培训达标'),
        count('due', '应反馈任务数'),
        count('fedBack', '已反馈任务数'),
        rate('feedbackRate', '反馈率（目标100%）'),
        text('feedbackMet', '反馈达标'),
      ],
      rows: numbers.map((n) => row(n.region, n)),
      totals: s.city
        ? undefined
        : row(null, {
            cases: sum('cases'),
            national: sum('national'),
            black: sum('black'),
            committed: sum('committed'),
            trained: sum('trained'),
            due: sum('due'),
            fedBack: sum('fedBack'),
          }),
      extra: { targets: TARGETS },
    };
  }

  private nameOf(grouping: Grouping, key: string, names: Map<string, string>): string {
    if (grouping === 'region') return regionName(key);
    if (grouping === 'memorandum' && key === '') return '未归类';
    return names.get(key) ?? key;
  }
}
