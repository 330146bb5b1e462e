import { HttpException, HttpStatus, Inject, Injectable, OnModuleDestroy, UnauthorizedException } from '@nestjs/common';
import { Principal, RevocationList, TokenEnd, TokenWatch, watchToken } from '@jrp/auth';
import { JrpConfig } from '@jrp/config';
import { ChannelSlots } from './channel-slots';
import { TaskChangeNotifier } from './task-change-notifier';
import { FeedChange, TaskFeedRepository } from './task-feed.repository';

/** What a refused stream or long poll is told to wait before asking again (`Retry-After`). */
export const CHANNEL_RETRY_AFTER_SECONDS = 10;

/** 429: the token already holds JRP_MAX_STREAMS_PER_TOKEN open streams and waiting long polls in this process. */
export class TooManyChannelsException extends HttpException {
  readonly retryAfterSeconds = CHANNEL_RETRY_AFTER_SECONDS;

  constructor(max: number) {
    super(
      {
        detail:
          `this token already holds ${max} open task streams and waiting long polls (JRP_MAX_STREAMS_PER_TOKEN, ` +
          `counted per server process); close one, or retry after ${CHANNEL_RETRY_AFTER_SECONDS} s`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/** 401: the token of a long poll was revoked, or expired, while it waited. */
export class TokenEndedException extends UnauthorizedException {
  constructor(why: TokenEnd) {
    super(`the bearer token ${why === 'revoked' ? 'was revoked' : 'expired'} while the request waited`);
  }
}

/**
 * A department's open stream: a slot of its token's cap until `close()`. `signal` aborts when the token
 * is revoked or expires, or the process shuts down; `ended()` says, checked anew on each call, whether
 * the token still holds.
 */
export interface FeedStream {
  readonly signal: AbortSignal;
  /** The changes after `afterSeq`; none once `waitMs` passed without one (a heartbeat is due) or `signal` aborted. */
  next(afterSeq: string, limit: number, waitMs: number, signal: AbortSignal): Promise<FeedChange[]>;
  ended(): TokenEnd | undefined;
  close(): void;
}

/**
 * Reading an organisation's changes, now or as soon as there are some: the long poll and the stream.
 * A waiter subscribes before it reads, so a change committed in between wakes it. A stream or a waiting
 * long poll holds one of its token's JRP_MAX_STREAMS_PER_TOKEN slots in this process, and ends as soon as
 * the process learns the token was revoked, or when it expires.
 */
@Injectable()
export class TaskFeedService implements OnModuleDestroy {
  /** Aborted first thing at shutdown: long polls answer empty and streams end, so the HTTP server can close. */
  private readonly shutdown = new AbortController();
  private readonly slots: ChannelSlots;

  constructor(
    private readonly repository: TaskFeedRepository,
    private readonly notifier: TaskChangeNotifier,
    private readonly revocations: RevocationList,
    @Inject(JrpConfig) config: JrpConfig,
  ) {
    this.slots = new ChannelSlots(config.maxStreamsPerToken);
  }

  get closing(): AbortSignal {
    return this.shutdown.signal;
  }

  onModuleDestroy(): void {
    this.shutdown.abort();
  }

  /**
   * The caller's changes after `afterSeq`; with `waitMs`, a long poll: when there are none it waits for
   * the first ones, holding a slot of its token's cap while it waits (429 when none is free). A token
   * revoked or expired while it waits answers 401, not an empty page.
   */
  async poll(
    principal: Principal,
    afterSeq: string,
    limit: number,
    waitMs: number,
    gone: AbortSignal,
  ): Promise<FeedChange[]> {
    const organization = principal.organization.code;
    const deadline = Date.now() + waitMs;
    const now = await this.read(organization, afterSeq, limit, 0);
    if (now.length > 0 || waitMs <= 0) return now;
    const channel = this.open(principal);
    try {
      const changes = await this.read(
        organization,
        afterSeq,
        limit,
        deadline - Date.now(),
        AbortSignal.any([gone, channel.token.signal]),
      );
      const ended = channel.token.ended();
      if (ended) throw new TokenEndedException(ended);
      return changes;
    } finally {
      channel.close();
    }
  }

  /** Opens the caller's stream of changes: a slot of its token's cap until it is closed (429 when none is free). */
  openStream(principal: Principal): FeedStream {
    const channel = this.open(principal);
    const organization = principal.organization.code;
    return {
      signal: AbortSignal.any([channel.token.signal, this.shutdown.signal]),
      next: (afterSeq, limit, waitMs, signal) => this.read(organization, afterSeq, limit, waitMs, signal),
      ended: () => channel.token.ended(),
      close: () => channel.close(),
    };
  }

  /** Changes after `afterSeq`; when there are none, waits up to `waitMs` for the first ones. */
  async read(
    organization: string,
    afterSeq: string,
    limit: number,
    waitMs: number,
    signal?: AbortSignal,
  ): Promise<FeedChange[]> {
    const deadline = Date.now() + waitMs;
    const signals = AbortSignal.any([this.shutdown.signal, ...(signal ? [signal] : [])]);
    for (;;) {
      const remaining = deadline - Date.now();
      const wake =
        remaining > 0 && !signals.aborted ? this.notifier.waitFor(organization, remaining, signals) : undefined;
      const changes = await this.repository.read(organization, afterSeq, limit);
      if (changes.length > 0 || !wake) {
        wake?.cancel();
        return changes;
      }
      if (!(await wake.promise)) return [];
    }
  }

  /** A slot of the token's cap and a watch on the token, for one stream or waiting long poll. */
  private open(principal: Principal): { token: TokenWatch; close: () => void } {
    const release = this.slots.take(principal.tokenId);
    if (!release) throw new TooManyChannelsException(this.slots.max);
    const token = watchToken(this.revocations, principal);
    return {
      token,
      close: () => {
        token.dispose();
        release();
      },
    };
  }
}
