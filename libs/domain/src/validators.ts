import { registerDecorator, ValidationOptions } from 'class-validator';
import { isProvinceRegion } from './region';
import { usccProblem } from './uscc';

function problemDecorator(name: string, problem: (value: string) => string | null, options?: ValidationOptions) {
  return (object: object, propertyName: string) => {
    registerDecorator({
      name,
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && problem(value) === null,
        defaultMessage: (args) => {
          const value: unknown = args?.value;
          const reason = typeof value === 'string' ? problem(value) : 'must be a string';
          return `${args?.property} ${reason}`;
        },
      },
    });
  };
}

/** 统一社会信用代码 with a valid GB 32100 check character. */
export const IsUscc = (options?: ValidationOptions) => problemDecorator('isUscc', usccProblem, options);

/** A division code of the province. */
export const IsProvinceRegion = (options?: ValidationOptions) =>
  problemDecorator(
    'isProvinceRegion',
    (v) => (isProvinceRegion(v) ? null : 'is not a division code of Anhui province'),
    options,
  );
