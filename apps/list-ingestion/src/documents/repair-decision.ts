import { htmlPage, section } from './page-shell';
/**
 * The repair decision document (信用修复决定书): what a department decided on a repair application
 * (信用修复管理办法 2025), as JSON and as a printable Chinese HTML page. Pure: the caller gives values
 * already masked (no ID number in clear ever reaches it); every value is HTML-escaped.
 */

export interface RepairDecisionInput {
  applicationId: string;
  status: 'pending' | 'approved' | 'rejected';
  subjectName: string;
  /** 统一社会信用代码 or the masked ID number (`340104************`). */
  subjectIdentifier: string;
  listTypeName: string;
  documentNo: string;
  listedAt: string;
  gradeLabel: string | null;
  repairableFrom: string | null;
  filedOn: string;
  evidence: string;
  commitment: string;
  decidingOrganization: string;
  decidedAt: string | null;
  decisionReason: string | null;
  basis: { document: string; article: string } | null;
  remedies: string | null;
}

export interface RepairDecisionDocument {
  title: '信用修复决定书';
  applicationId: string;
  status: RepairDecisionInput['status'];
  /** 准予信用修复 / 不予信用修复 / 尚未决定. */
  decision: string;
  sections: { heading: string; text: string }[];
}

const DECISION = { approved: '准予信用修复', rejected: '不予信用修复', pending: '尚未决定' } as const;

/** The document's content: the decision and its sections, in Chinese. */
export function repairDecisionDocument(d: RepairDecisionInput): RepairDecisionDocument {
  const decided = d.status === 'pending' ? '该申请尚在审查中，未作决定。' : `${DECISION[d.status]}。`;
  const consequence =
    d.status === 'approved'
      ? '自本决定作出之日起，该失信信息停止公示，相关联合惩戒措施同步解除。'
      : d.status === 'rejected'
        ? '该失信信息继续公示，相关联合惩戒措施继续实施。'
        : '';
  return {
    title: '信用修复决定书',
    applicationId: d.applicationId,
    status: d.status,
    decision: DECISION[d.status],
    sections: [
      { heading: '申请人', text: `${d.subjectName}（${d.subjectIdentifier}）` },
      {
        heading: '失信信息',
        text: `${d.listTypeName}，认定文号 ${d.documentNo}，列入日期 ${d.listedAt}${d.gradeLabel ? `，失信等级 ${d.gradeLabel}` : ''}${d.repairableFrom ? `，可申请修复日期 ${d.repairableFrom}` : ''}`,
      },
      { heading: '申请日期', text: d.filedOn },
      { heading: '纠正失信行为、履行法定义务的证明', text: d.evidence },
      { heading: '信用承诺', text: d.commitment },
      { heading: '决定', text: `${decided}${consequence}` },
      ...(d.decisionReason ? [{ heading: '理由', text: d.decisionReason }] : []),
      ...(d.basis ? [{ heading: '依据', text: `${d.basis.document} ${d.basis.article}；信用修复管理办法` }] : []),
      ...(d.remedies ? [{ heading: '救济途径', text: d.remedies }] : []),
      {
        heading: '决定机关',
        text: `${d.decidingOrganization}${d.decidedAt ? `\u3000${d.decidedAt.slice(0, 10)}` : ''}`,
      },
    ],
  };
}

/** The document as a printable HTML page (A4, Chinese), in the shell every list-ingestion document shares. */
export function renderRepairDecisionHtml(doc: RepairDecisionDocument): string {
  return htmlPage(
    doc.title,
    `申请编号：${doc.applicationId}`,
    doc.sections.map((s) => section(s.heading, [s.text])).join('\n'),
  );
}
