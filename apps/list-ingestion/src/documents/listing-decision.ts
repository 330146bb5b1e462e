import { GRADE_LABELS, Grade, ListBasisData } from '@jrp/contracts';
import { Entry, STATUS_LABELS } from '../entries/entry';
import { escapeHtml, factTable, htmlPage, section, sectionHtml } from './page-shell';

const ID_TYPE_LABELS: Record<string, string> = {
  'resident-id': '居民身份证',
  'hk-macao-permit': '港澳居民来往内地通行证',
  'taiwan-permit': '台湾居民来往大陆通行证',
  'foreign-permanent-residence': '外国人永久居留身份证',
  passport: '护照',
};

/** What the document needs of the list type: its name and the texts its rule set gives the subject. */
export interface DecisionListType {
  code: string;
  name: string;
  colour: 'red' | 'black';
  basis: ListBasisData | null;
  removalConditions: string | null;
  remedies: string | null;
}

/** A measure that follows the listing, with the names of the departments that apply it. */
export interface DecisionMeasure {
  code: string;
  text: string;
  kind: 'punishment' | 'reward';
  implementers: string[];
}

/**
 * The listing decision (列入严重失信主体名单决定书, 国办发〔2020〕49号: reasons, basis, measures, removal
 * conditions and remedies), as JSON. ID numbers only masked.
 */
export interface ListingDecision {
  title: string;
  entryId: string;
  version: number;
  status: Entry['status'];
  statusLabel: string;
  documentNo: string;
  listType: { code: string; name: string };
  subject: {
    kind: Entry['subjectKind'];
    name: string;
    uscc?: string;
    idType?: string;
    idNumber?: string;
    legalRepresentative?: { name: string; idType?: string; idNumber?: string };
  };
  reasons: string;
  basis: { document: string; article: string } | null;
  measures: DecisionMeasure[];
  grade: Grade | null;
  gradeLabel: string | null;
  listedAt: string;
  publicUntil: string | null;
  repairableFrom: string | null;
  validUntil: string | null;
  removalConditions: string | null;
  remedies: string | null;
  notice: { servedOn: string; documentNo: string | null; statementDeadline: string | null } | null;
  statement: { text: string; at: string } | null;
  /** How the statement was considered (the decision's reason); null when the entry was listed directly. */
  considered: string | null;
  decidedBy: string;
  decidingOrganization: { code: string; name: string };
  decidedAt: string;
}

/**
 * The decision of a listed entry (pure). A noticed entry has none yet, a withdrawn one never will: both
 * refused with the reason. An entry listed directly was decided on `listedAt` by its publisher.
 */
export function listingDecision(input: {
  entry: Entry;
  listType: DecisionListType;
  measures: DecisionMeasure[];
  decidingOrganizationName: string;
}): ListingDecision | { refused: string } {
  const { entry: e, listType } = input;
  if (e.status === 'noticed')
    return {
      refused: `拟列入，尚未作出列入决定 (the entry is noticed: no listing decision yet; the statement period runs until ${e.statementDeadline})`,
    };
  if (e.status === 'withdrawn') return { refused: '已撤回，未列入 (the entry was withdrawn: it was never listed)' };
  return {
    title: listType.colour === 'black' ? '列入严重失信主体名单决定书' : `列入${listType.name}决定书`,
    entryId: e.id,
    version: e.version,
    status: e.status,
    statusLabel: STATUS_LABELS[e.status],
    documentNo: e.documentNo,
    listType: { code: listType.code, name: listType.name },
    subject: {
      kind: e.subjectKind,
      name: e.subjectName,
      ...(e.subjectUscc ? { uscc: e.subjectUscc } : {}),
      ...(e.subjectIdNumberMasked
        ? { idType: e.subjectIdType ?? 'resident-id', idNumber: e.subjectIdNumberMasked }
        : {}),
      ...(e.legalRepName
        ? {
            legalRepresentative: {
              name: e.legalRepName,
              ...(e.legalRepIdNumberMasked
                ? { idType: e.legalRepIdType ?? 'resident-id', idNumber: e.legalRepIdNumberMasked }
                : {}),
            },
          }
        : {}),
    },
    reasons: e.reason,
    basis: listType.basis,
    measures: input.measures,
    grade: e.grade,
    gradeLabel: e.grade ? GRADE_LABELS[e.grade] : null,
    listedAt: e.listedAt,
    publicUntil: e.publicUntil,
    repairableFrom: e.repairableFrom,
    validUntil: e.validUntil,
    removalConditions: listType.removalConditions,
    remedies: listType.remedies,
    notice: e.notice
      ? { servedOn: e.notice.servedOn, documentNo: e.notice.documentNo, statementDeadline: e.statementDeadline }
      : null,
    statement: e.statement ? { text: e.statement.text, at: e.statement.at } : null,
    considered: e.decision?.outcome === 'listed' ? e.decision.reason : null,
    decidedBy: e.decidedBy,
    decidingOrganization: { code: e.decision?.by ?? e.publishedBy, name: input.decidingOrganizationName },
    decidedAt: e.decision?.outcome === 'listed' ? e.decision.at : e.listedAt,
  };
}

const idText = (idType: string | undefined, idNumber: string | undefined) =>
  idNumber ? `${ID_TYPE_LABELS[idType ?? 'resident-id'] ?? idType}：${idNumber}` : null;

/** The decision as a printable Chinese page: every value escaped (see page-shell). */
export function renderListingDecision(d: ListingDecision): string {
  const s = d.subject;
  const subject = factTable([
    ['名称（姓名）', s.name],
    ['统一社会信用代码', s.uscc],
    ['证件', idText(s.idType, s.idNumber)],
    ['法定代表人', s.legalRepresentative?.name],
    ['法定代表人证件', idText(s.legalRepresentative?.idType, s.legalRepresentative?.idNumber)],
  ]);
  const measures = d.measures.length
    ? `<ol class="measures">\n${d.measures
        .map(
          (m) =>
            `<li>${escapeHtml(m.text)}${m.implementers.length ? `（实施部门：${escapeHtml(m.implementers.join('、'))}）` : ''}</li>`,
        )
        .join('\n')}\n</ol>`
    : '<p>无</p>';
  const period = factTable([
    ['名单', d.listType.name],
    ['失信等级', d.gradeLabel],
    ['列入日期', d.listedAt],
    ['公示期至', d.publicUntil],
    ['可申请信用修复日期', d.repairableFrom],
    ['有效期至', d.validUntil],
  ]);
  const body = [
    sectionHtml('一、当事人', subject),
    section('二、列入事由', [d.reasons]),
    section('三、列入依据', [
      d.basis ? `认定标准：${d.basis.document} ${d.basis.article}` : null,
      `认定文号：${d.documentNo}`,
    ]),
    section('四、告知及陈述申辩情况', [
      d.notice
        ? `已于${d.notice.servedOn}告知当事人拟列入${d.notice.documentNo ? `（告知书文号：${d.notice.documentNo}）` : ''}，陈述申辩期至${d.notice.statementDeadline ?? ''}。`
        : '本名单依规定直接列入，未经告知程序。',
      d.statement
        ? `当事人陈述申辩（${d.statement.at.slice(0, 10)}）：${d.statement.text}`
        : d.notice
          ? '当事人在规定期限内未提出陈述申辩。'
          : null,
      d.considered ? `采纳情况：${d.considered}` : null,
    ]),
    sectionHtml('五、失信等级及公示期限', period),
    sectionHtml(d.measures.some((m) => m.kind === 'reward') ? '六、联合激励措施' : '六、联合惩戒措施', measures),
    section('七、移出条件', [d.removalConditions]),
    section('八、救济途径', [d.remedies]),
    `<p class="signature">${escapeHtml(d.decidedBy)}<br>（${escapeHtml(d.decidingOrganization.name)}）<br>${escapeHtml(d.decidedAt)}</p>`,
  ].join('\n');
  return htmlPage(d.title, d.documentNo, body);
}
