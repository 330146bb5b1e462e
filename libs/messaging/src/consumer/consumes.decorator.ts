import { EventPattern } from '@nestjs/microservices';

/** The NestJS transport id of one consumer group's server. */
export const consumerTransport = (group: string): symbol => Symbol.for(`jrp.consumer.${group}`);

/**
 * Declares an event handler of one consumer group, the NestJS way (`@EventPattern`): the patterns are
 * CloudEvents types, and only that group's server calls the handler.
 */
export const ConsumesEvents = (types: string | readonly string[], group: string): MethodDecorator =>
  EventPattern(Array.isArray(types) ? [...types] : (types as string), consumerTransport(group));
