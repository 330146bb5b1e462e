import type { FieldError } from './problem-details.filter';

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NUL = /\u0000/;
// a high surrogate not followed by a low one, or a low one not preceded by a high one
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// C0 controls except tab, line feed and carriage return; DEL; C1 controls; the noncharacters U+FFFE, U+FFFF
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/;

/**
 * What is wrong with a text value that no column should hold, or undefined: a NUL character
 * (PostgreSQL's text refuses it), an unpaired surrogate (not Unicode: it would be stored as U+FFFD),
 * a control character (tab and line breaks are allowed). The message is English with the Chinese
 * reason in parentheses, as the other field errors of the API.
 */
export function textProblem(value: string): string | undefined {
  if (NUL.test(value)) return 'contains a NUL character (含有空字符)';
  if (UNPAIRED_SURROGATE.test(value)) return 'contains an unpaired surrogate, not valid Unicode (含有无效的字符编码)';
  const control = CONTROL.exec(value);
  if (control)
    return `contains the control character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} (含有控制字符)`;
  return undefined;
}

const MAX_DEPTH = 32;

/**
 * The field errors of every text in a request's body, query or path parameter (keys included), by
 * path (`subject.name`, `entries.3`); `skip` leaves top-level fields to be checked item by item
 * (a batch's entries: each is rejected on its own).
 */
export function textErrors(value: unknown, path = '', skip: ReadonlySet<string> = new Set(), depth = 0): FieldError[] {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? [{ field: path, message: problem }] : [];
  }
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return [];
  const errors: FieldError[] = [];
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : Object.entries(value as Record<string, unknown>);
  for (const [key, child] of entries) {
    const field = path ? `${path}.${key}` : key;
    if (depth === 0 && skip.has(key)) continue;
    const keyProblem = Array.isArray(value) ? undefined : textProblem(key);
    if (keyProblem) errors.push({ field: safeText(field), message: `the field name ${keyProblem}` });
    else errors.push(...textErrors(child, field, skip, depth + 1));
  }
  return errors;
}

/** A text made safe to store and show: every character `textProblem` refuses replaced by U+FFFD. */
export function safeText(value: string): string {
  return value.replace(
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/g,
    '\uFFFD',
  );
}

const PER_ITEM = Symbol('jrp:text-checked-per-item');

/**
 * Marks a body field whose items are validated one by one by the handler (a batch's `entries`): the
 * request's text check leaves it alone, so that one bad item is that item's error, not the batch's.
 */
export function CheckedPerItem(): PropertyDecorator {
  return (target, property) => {
    const own = (Reflect.getOwnMetadata(PER_ITEM, target.constructor) as Set<string> | undefined) ?? new Set<string>();
    own.add(String(property));
    Reflect.defineMetadata(PER_ITEM, own, target.constructor);
  };
}

/** The fields of a DTO class marked {@link CheckedPerItem}. */
export function fieldsCheckedPerItem(metatype: unknown): ReadonlySet<string> {
  if (typeof metatype !== 'function') return new Set();
  return (Reflect.getMetadata(PER_ITEM, metatype) as Set<string> | undefined) ?? new Set();
}
