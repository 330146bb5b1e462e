import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@jrp/auth';
import { Metrics } from '@jrp/messaging';

/**
 * `GET /metrics`: the process's Prometheus metrics (text exposition format). Unauthenticated and
 * outside `/api/v1`, for the internal network: the proxy does not route it.
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Public()
  @Get()
  async scrape(@Res() res: Response): Promise<void> {
    const text = await this.metrics.scrape();
    res.status(200).type(this.metrics.contentType).send(text);
  }
}
