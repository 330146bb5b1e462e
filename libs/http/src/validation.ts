import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { rememberValidationRules } from '@jrp/contracts';
import { FieldError, FieldValidationException } from './problem-details.filter';
import { fieldsCheckedPerItem, textErrors } from './text-input';

/** class-validator's errors as one message per field, the path dotted (`subject.uscc`, `items.0.measureId`). */
export function toFieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({
      field,
      message: message.replace(/^property (\S+) should not exist$/, 'is not a known field'),
    }));
    return [...own, ...toFieldErrors(e.children ?? [], field)];
  });
}

/**
 * Strict HTTP input: unknown fields refused, types converted, one message per field; before that, every
 * text of the body, query and path parameters is checked (`textErrors`: NUL, unpaired surrogates,
 * control characters), so that such a value is a 400 with its field, never a database error.
 */
export function strictValidationPipe(): ValidationPipe {
  rememberValidationRules(); // each DTO class's rules found once, not on every request
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => new FieldValidationException(toFieldErrors(errors)),
  });
}

class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const path = metadata.type === 'param' && metadata.data ? metadata.data : '';
      const skip = metadata.type === 'body' ? fieldsCheckedPerItem(metadata.metatype) : new Set<string>();
      const errors = textErrors(value, path, skip);
      if (errors.length) throw new FieldValidationException(errors);
    }
    return super.transform(value, metadata);
  }
}
