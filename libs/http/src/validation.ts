import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, FieldValidationException } from './problem-details.filter';

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

/** Strict HTTP input: unknown fields refused, types converted, one message per field. */
export function strictValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => new FieldValidationException(toFieldErrors(errors)),
  });
}
