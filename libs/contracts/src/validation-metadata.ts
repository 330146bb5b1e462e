import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

let remembered = false;

/**
 * Makes class-validator find a class's rules once instead of on every validation. For each object it
 * validates, class-validator collects the class's rules by scanning every class it knows (inherited
 * rules) and groups them by property: with the DTO and payload classes of a service, that scan cost more
 * than the checks themselves, on every request body and every consumed event. The rules are kept per
 * class and options, and forgotten whenever a rule is registered (a class declared later), so every
 * validation checks exactly what it checked before, with the same messages. Idempotent; the HTTP
 * validation pipe and the event consumers call it.
 */
export function rememberValidationRules(): void {
  if (remembered) return;
  remembered = true;
  const storage = getMetadataStorage();
  const collect = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  let rules = new Map<Function, Map<string, ValidationMetadata[]>>(); // eslint-disable-line @typescript-eslint/no-unsafe-function-type -- class-validator's own key
  let grouped = new WeakMap<ValidationMetadata[], Record<string, ValidationMetadata[]>>();
  storage.addValidationMetadata = (metadata: ValidationMetadata) => {
    add(metadata);
    rules = new Map();
    grouped = new WeakMap();
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    // no groups and an empty list of groups select the same rules
    const key = `${schema}|${always}|${strictGroups}|${groups?.join('\u0000') ?? ''}`;
    let ofTarget = rules.get(target);
    if (!ofTarget) rules.set(target, (ofTarget = new Map<string, ValidationMetadata[]>()));
    let found = ofTarget.get(key);
    if (!found) ofTarget.set(key, (found = collect(target, schema, always, strictGroups, groups)));
    return found;
  };
  storage.groupByPropertyName = (metadata) => {
    let found = grouped.get(metadata);
    if (!found) grouped.set(metadata, (found = group(metadata)));
    return found;
  };
}
