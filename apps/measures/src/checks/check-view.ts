import { CheckAnswer } from './check-answer';
import { MeasureDetails } from './checks.repository';
import { CheckResultView } from './dto/check.dto';

const STATUS_LABELS = { active: '列入', watch: '重点关注' } as const;

/** A check's answer as the API gives it: the entries, the caller's measures with their kind and basis, rewards, withheld facilitations. */
export function checkResultOf(
  checkId: string,
  checkedAt: string,
  answer: CheckAnswer,
  details: Map<string, MeasureDetails>,
  taskIds: string[],
): CheckResultView {
  const measures = answer.measures.map((x) => ({
    id: x.id,
    text: x.text,
    kind: details.get(x.id)!.kind,
    listType: x.listType,
    legalBasis: details.get(x.id)!.legalBasis,
    basis: details.get(x.id)!.basis,
    basisPending: details.get(x.id)!.basisPending,
    entryIds: x.entryIds,
  }));
  return {
    checkId,
    listed: answer.listed,
    entries: answer.entries.map((e) => ({
      entryId: e.entryId,
      listType: e.listType,
      listTypeName: e.listTypeName,
      ...(e.colour ? { colour: e.colour } : {}),
      status: e.status as 'active' | 'watch',
      statusLabel: STATUS_LABELS[e.status as 'active' | 'watch'],
      disputed: e.disputed,
      listedAt: e.listedAt,
      validUntil: e.validUntil,
      foundAs: e.foundAs,
    })),
    measures,
    rewards: measures.filter((x) => x.kind === 'reward'),
    withheldFacilitations: answer.withheldFacilitations,
    taskIds,
    checkedAt,
  };
}
