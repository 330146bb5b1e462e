import type { FieldError } from '@jrp/http';
import { hasRole, Principal } from '@jrp/auth';
import { normaliseIdentityDocument, usccProblem } from '@jrp/domain';
import type { PortalSubjectDto } from './dto/portal-subject.dto';

/** The subject a portal filing names, as list-ingestion keys subjects (kind + normalised identifier). */
export interface PortalIdentity {
  kind: 'legal' | 'natural';
  identifier: string;
  documentNo: string;
}

/**
 * A caller acting only as the public credit website (信用网站): it must identify the subject and the
 * entry's document number, and reaches only what it filed. A token that also publishes or is an office
 * acts as those.
 */
export const actsAsPortal = (principal: Principal) =>
  hasRole(principal, 'portal') && !hasRole(principal, 'office', 'publisher', 'admin');

/**
 * The subject and document number of a portal filing, checked (field errors, never echoing the number):
 * `{uscc}` for a legal subject or `{idType?, idNumber}` for a natural person, not both, and `documentNo`.
 */
export function portalIdentityOf(
  input: { subject?: PortalSubjectDto; documentNo?: string },
  today: Date = new Date(),
): PortalIdentity | FieldError[] {
  const errors: FieldError[] = [];
  const s = input.subject;
  const documentNo = input.documentNo?.trim();
  if (!documentNo) errors.push({ field: 'documentNo', message: 'documentNo (认定文号) is required from the portal' });
  if (!s)
    return [
      { field: 'subject', message: 'subject ({uscc} or {idType, idNumber}) is required from the portal' },
      ...errors,
    ];
  const natural = s.idNumber !== undefined || s.idType !== undefined;
  if (natural && s.uscc !== undefined)
    return [{ field: 'subject.uscc', message: 'name the subject one way: uscc, or idType and idNumber' }, ...errors];
  if (!natural) {
    if (s.uscc === undefined) return [{ field: 'subject.uscc', message: 'uscc or idNumber is required' }, ...errors];
    const uscc = s.uscc.trim().toUpperCase();
    const problem = usccProblem(uscc);
    if (problem) return [{ field: 'subject.uscc', message: `uscc ${problem}` }, ...errors];
    return errors.length ? errors : { kind: 'legal', identifier: uscc, documentNo: documentNo! };
  }
  if (s.idNumber === undefined)
    return [{ field: 'subject.idNumber', message: 'idNumber is required with idType' }, ...errors];
  const doc = normaliseIdentityDocument(s.idType ?? 'resident-id', s.idNumber, today);
  if ('problem' in doc) return [{ field: 'subject.idNumber', message: `idNumber ${doc.problem}` }, ...errors];
  return errors.length ? errors : { kind: 'natural', identifier: doc.value, documentNo: documentNo! };
}
