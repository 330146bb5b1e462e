import { CatalogueMeasure } from './match-measures';

/** The office's answer to a returned task (改派): from now on this entry's measure goes to another organisation. */
export interface Reassignment {
  measureId: string;
  from: string;
  to: { code: string; name: string };
}

/**
 * An entry's view of the catalogue after its reassignments, applied in the order they were made (a
 * measure reassigned A → C and later C → D goes to D). Pure: no I/O.
 */
export function reassignMeasures(measures: CatalogueMeasure[], reassignments: Reassignment[]): CatalogueMeasure[] {
  if (reassignments.length === 0) return measures;
  return measures.map((measure) => {
    let implementers = measure.implementers;
    for (const r of reassignments) {
      if (r.measureId !== measure.id || !implementers.some((i) => i.code === r.from)) continue;
      implementers = implementers
        .filter((i) => i.code !== r.from && i.code !== r.to.code)
        .concat(r.to)
        .sort((a, b) => a.code.localeCompare(b.code));
    }
    return implementers === measure.implementers ? measure : { ...measure, implementers };
  });
}
