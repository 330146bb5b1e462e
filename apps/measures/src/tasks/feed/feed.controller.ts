import { Controller, Get, Headers, Logger, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Principal, Roles } from '@jrp/auth';
import { decodeSeqCursor, encodeCursor, PageOf } from '@jrp/http';
import { FeedItemResponse } from '../dto/task.response';
import { FeedQueryDto, StreamQueryDto } from './dto/feed-query.dto';
import { feedItem } from './feed-item';
import { TaskFeedService, TooManyChannelsException } from './task-feed.service';

/** A heartbeat comment keeps proxies and clients from timing out an idle stream. */
export const HEARTBEAT_MS = 10_000;

/**
 * A department's task changes (任务变更): a resumable feed with long polling, and the same changes as
 * Server-Sent Events. Each item's cursor is its position; resuming from it gives exactly what followed.
 * A stream, and a long poll while it waits, end when their token is revoked or expires.
 */
@ApiTags('tasks 任务')
@ApiBearerAuth()
@Controller('tasks')
export class FeedController {
  private readonly logger = new Logger(FeedController.name);

  constructor(private readonly feed: TaskFeedService) {}

  @Get('feed')
  @Roles('implementer')
  @ApiOperation({
    operationId: 'listTaskFeed',
    summary:
      "The caller's task changes in order, resumable from any cursor; `wait` long-polls an empty read (401 when the token is revoked meanwhile)",
  })
  @ApiOkResponse({ type: PageOf(FeedItemResponse) })
  @ApiTooManyRequestsResponse({
    description: 'the token already holds JRP_MAX_STREAMS_PER_TOKEN open streams and waiting long polls; `Retry-After`',
  })
  async read(
    @Query() query: FeedQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const after = decodeSeqCursor(query.after);
    const gone = new AbortController();
    req.once('close', () => gone.abort());
    const changes = await withRetryAfter(res, () =>
      this.feed.poll(principal, after, query.limit ?? 100, (query.wait ?? 0) * 1000, gone.signal),
    );
    const items = changes.map(feedItem);
    return { items, next: items.length ? items[items.length - 1].cursor : encodeCursor(after) };
  }

  @Get('stream')
  @Roles('implementer')
  @ApiOperation({
    operationId: 'streamTaskFeed',
    summary:
      "The caller's task changes as Server-Sent Events: event name the change type, event id its cursor; ends when the token is revoked or expires",
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description:
      'events `id: <cursor>`, `event: <change type>`, `data: <a feed item as JSON>`; a `: heartbeat` comment every 10 s when idle; ' +
      'a last `event: end` with `data: {"reason": "token-revoked" | "token-expired", …}` when the token stops holding',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiTooManyRequestsResponse({
    description: 'the token already holds JRP_MAX_STREAMS_PER_TOKEN open streams and waiting long polls; `Retry-After`',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'resume after this event id (a cursor)' })
  async stream(
    @Query() query: StreamQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    let after = decodeSeqCursor(lastEventId || query.after);
    const stream = await withRetryAfter(res, () => Promise.resolve(this.feed.openStream(principal)));
    const gone = new AbortController();
    req.once('close', () => gone.abort());
    const ended = AbortSignal.any([gone.signal, stream.signal]);
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      // nginx: pass events through as they are written
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    const send = async (chunk: string) => {
      if (!res.write(chunk))
        await new Promise<void>((resolve) => {
          res.once('drain', resolve);
          ended.addEventListener('abort', () => resolve(), { once: true });
        });
    };
    try {
      await send(`retry: 2000\n\n`);
      while (!ended.aborted) {
        const changes = await stream.next(after, 500, HEARTBEAT_MS, ended);
        // the token is checked again on every batch and every heartbeat, before anything is sent
        if (ended.aborted || stream.ended()) break;
        if (changes.length === 0) {
          await send(`: heartbeat ${new Date().toISOString()}\n\n`);
          continue;
        }
        for (const change of changes) {
          const item = feedItem(change);
          await send(`id: ${item.cursor}\nevent: ${item.type}\ndata: ${JSON.stringify(item)}\n\n`);
        }
        after = changes[changes.length - 1].seq;
      }
      const why = stream.ended();
      if (why && !gone.signal.aborted) {
        const detail = `the bearer token ${why === 'revoked' ? 'was revoked' : 'expired'}; the stream ends`;
        res.write(`event: end\ndata: ${JSON.stringify({ reason: `token-${why}`, detail })}\n\n`);
      }
    } catch (error) {
      // the headers are sent: end the stream; the client resumes from its last event id
      this.logger.warn(`task stream ended: ${(error as Error).message}`);
    } finally {
      stream.close();
      res.end();
    }
  }
}

/** Runs `open`; when it refuses for want of a slot (429), says in `Retry-After` when to ask again. */
async function withRetryAfter<T>(res: Response, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    if (error instanceof TooManyChannelsException) res.setHeader('Retry-After', String(error.retryAfterSeconds));
    throw error;
  }
}
