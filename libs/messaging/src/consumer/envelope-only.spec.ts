import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { CloudEventEnvelope } from '@jrp/contracts';
import { envelopeOnly } from './event-consumer.server';

const event = {
  specversion: '1.0',
  id: 'e1',
  source: '/jrp/test',
  type: 'jrp.test',
  time: '2026-12-03T00:00:00Z',
  datacontenttype: 'application/json',
  partitionkey: 'k',
  data: { a: { b: [1, 2] } },
};

const envelopeErrors = async (raw: unknown) =>
  (await validate(plainToInstance(CloudEventEnvelope, raw) as object)).map((e) => [e.property, e.constraints]);

describe('envelopeOnly', () => {
  it.each([
    ['an event: its data as an empty object', event, { ...event, data: {} }],
    ['data an array: kept', { ...event, data: [1] }, { ...event, data: [1] }],
    ['data null: kept', { ...event, data: null }, { ...event, data: null }],
    ['data a string: kept', { ...event, data: 'x' }, { ...event, data: 'x' }],
    ['no data: kept', { id: 'e1' }, { id: 'e1' }],
    ['not an object: kept', 'text', 'text'],
    ['null: kept', null, null],
    ['an array: kept', [event], [event]],
  ])('%s', (_case, raw, expected) => expect(envelopeOnly(raw)).toEqual(expected));

  it.each([
    ['valid', event],
    ['data an array', { ...event, data: [1] }],
    ['data missing', { ...event, data: undefined }],
    ['data a number', { ...event, data: 5 }],
    ['several attributes wrong, data an object', { ...event, specversion: '0.3', time: 'yesterday', id: '' }],
  ])('leaves the envelope’s errors as they were: %s', async (_case, raw) =>
    expect(await envelopeErrors(envelopeOnly(raw))).toEqual(await envelopeErrors(raw)),
  );
});
