import { applyDecorators, ArgumentsHost, Catch, RpcExceptionFilter, UseFilters } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { Observable, throwError } from 'rxjs';

/** The NestJS transport id of one consumer group's server. */
export const consumerTransport = (group: string): symbol => Symbol.for(`jrp.consumer.${group}`);

/**
 * Hands a handler's own error back to the consumer server unchanged (Nest's default RPC filter would
 * replace it with "Internal server error"), so the server can retry it or set the message aside.
 */
@Catch()
class RethrowFilter implements RpcExceptionFilter {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}

export interface ConsumesEventsOptions<T = unknown> {
  /** The handler takes consecutive events at once: `(data[], BatchConsumerContext)`, for set-based work. */
  batch?: boolean;
  /**
   * For a batch handler: the message key its outgoing events carry for an input event (e.g. the entry
   * id of a list-entry change, which keys the task events it causes), so each outgoing event takes the
   * correlation id of the input event that caused it although the batch mixes several.
   */
  correlateBy?: (data: T) => string;
}

/**
 * Declares an event handler of one consumer group, the NestJS way (`@EventPattern`): the patterns are
 * CloudEvents types, and only that group's server calls the handler. With `{ batch: true }` the
 * handler takes consecutive events at once: `(data[], BatchConsumerContext)`, for set-based work.
 */
export const ConsumesEvents = <T = unknown>(
  types: string | readonly string[],
  group: string,
  options: ConsumesEventsOptions<T> = {},
): MethodDecorator =>
  applyDecorators(
    // one method is registered once per event type: `batchKey` tells that they are the same handler
    EventPattern(typeof types === 'string' ? types : [...types], consumerTransport(group), {
      batch: options.batch === true,
      batchKey: Symbol('handler'),
      correlateBy: options.correlateBy,
    }),
    UseFilters(new RethrowFilter()),
  );
