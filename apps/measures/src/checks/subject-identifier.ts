import { ID_TYPES, IdType, normaliseIdentityDocument, usccProblem } from '@jrp/domain';

/** How a counter check names its subject: a legal subject by 统一社会信用代码, a natural person by 证件. */
export interface SubjectIdentifierInput {
  uscc?: unknown;
  idType?: unknown;
  idNumber?: unknown;
}

/** The subject as list-ingestion keys it: the identifier normalised exactly as it is when an entry is published. */
export type SubjectIdentifier =
  { kind: 'legal'; identifier: string; idType: null } | { kind: 'natural'; identifier: string; idType: IdType };

const naturalPerson = (s: SubjectIdentifierInput) => s.idNumber !== undefined || s.idType !== undefined;

/** What is wrong with `uscc` (null: nothing). A natural person's check names no USCC; a legal subject's needs one. */
export function usccFieldProblem(s: SubjectIdentifierInput): string | null {
  if (naturalPerson(s))
    return s.uscc === undefined ? null : 'must not be given with idType or idNumber: name the subject one way';
  if (s.uscc === undefined) return 'is required for a legal subject (a natural person: idType and idNumber)';
  return typeof s.uscc === 'string' ? usccProblem(s.uscc) : 'must be a string';
}

/** What is wrong with `idType` (null: nothing); absent means 居民身份证 (resident-id), as when publishing. */
export function idTypeFieldProblem(s: SubjectIdentifierInput): string | null {
  if (s.idType === undefined || (ID_TYPES as readonly unknown[]).includes(s.idType)) return null;
  return `must be one of ${ID_TYPES.join(', ')}`;
}

/** What is wrong with `idNumber` (null: nothing): checked for its type as list-ingestion checks it. */
export function idNumberFieldProblem(s: SubjectIdentifierInput, today: Date = new Date()): string | null {
  if (!naturalPerson(s)) return null;
  if (s.idNumber === undefined) return 'is required with idType';
  if (typeof s.idNumber !== 'string') return 'must be a string';
  if (s.idNumber.length > 32) return 'must be at most 32 characters';
  if (idTypeFieldProblem(s) !== null) return null; // reported on idType
  const result = normaliseIdentityDocument((s.idType as IdType | undefined) ?? 'resident-id', s.idNumber, today);
  return 'problem' in result ? result.problem : null;
}

/** The identifier to key, from input the checks above accepted. */
export function subjectIdentifierOf(s: { uscc?: string; idType?: IdType; idNumber?: string }): SubjectIdentifier {
  if (s.uscc !== undefined) return { kind: 'legal', identifier: s.uscc, idType: null };
  const idType = s.idType ?? 'resident-id';
  const result = normaliseIdentityDocument(idType, s.idNumber!);
  if ('problem' in result) throw new Error(`idNumber ${result.problem}`); // the DTO refused it already
  return { kind: 'natural', identifier: result.value, idType };
}
