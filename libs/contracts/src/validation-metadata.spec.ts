import { IsInt, IsString, validate, ValidateNested } from 'class-validator';
import { plainToInstance, Type } from 'class-transformer';
import { rememberValidationRules } from './validation-metadata';

class Inner {
  @IsInt() n: number;
}

class Outer {
  @IsString() name: string;
  @ValidateNested() @Type(() => Inner) inner: Inner;
}

const messages = async (cls: new () => object, plain: object, options = {}) =>
  (await validate(plainToInstance(cls, plain), options)).map((e) => ({
    property: e.property,
    constraints: e.constraints,
    children: e.children?.map((c) => ({ property: c.property, constraints: c.constraints })),
  }));

describe('rememberValidationRules', () => {
  const bad = { name: 1, inner: { n: 'x' }, extra: true };
  let before: unknown;
  let beforeWhitelist: unknown;

  beforeAll(async () => {
    before = await messages(Outer, bad);
    beforeWhitelist = await messages(Outer, bad, { whitelist: true, forbidNonWhitelisted: true });
    rememberValidationRules();
    rememberValidationRules(); // idempotent
  });

  it('gives the same errors as before, with and without options, again and again', async () => {
    for (let i = 0; i < 3; i++) {
      expect(await messages(Outer, bad)).toEqual(before);
      expect(await messages(Outer, bad, { whitelist: true, forbidNonWhitelisted: true })).toEqual(beforeWhitelist);
    }
    expect(await messages(Outer, { name: 'a', inner: { n: 1 } })).toEqual([]);
  });

  it('follows a class declared after the first validations, with its inherited rules', async () => {
    class Later extends Outer {
      @IsInt() count: number;
    }
    expect((await messages(Later, { name: 'a', inner: { n: 1 }, count: 'x' })).map((e) => e.property)).toEqual([
      'count',
    ]);
    expect((await messages(Later, { name: 2, inner: { n: 1 }, count: 1 })).map((e) => e.property)).toEqual(['name']);
  });

  it('follows a rule added to a class it has already validated', async () => {
    class Grows {
      @IsString() a: string;
      b: unknown;
    }
    expect(await messages(Grows, { a: 'x', b: 1 })).toEqual([]);
    IsString()(Grows.prototype, 'b');
    expect((await messages(Grows, { a: 'x', b: 1 })).map((e) => e.property)).toEqual(['b']);
  });
});
