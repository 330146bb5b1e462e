import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import {
  ApiExcludeEndpoint,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@jrp/auth';
import { HealthResponse } from './health.response';
import { ReadinessService } from './readiness.service';

/**
 * The operator's probes, per process, unauthenticated and outside `/api/v1` (the proxy does not route
 * them). `GET /health/live`: the process answers. `GET /health/ready` (and `GET /health`, its alias):
 * 200 when every database of the process answers, the bus is connected and each service's outbox has
 * fewer than JRP_READY_MAX_OUTBOX_BACKLOG rows waiting more than 30 s; otherwise 503, the body naming
 * what failed.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  @Public()
  @Get()
  @ApiOperation({ operationId: 'getHealth', summary: 'Readiness of this process (the same as /health/ready)' })
  @ApiOkResponse({ type: HealthResponse, description: 'ready: every check is up' })
  @ApiServiceUnavailableResponse({ type: HealthResponse, description: 'not ready: the failed checks are named' })
  async health(@Res() res: Response): Promise<void> {
    await this.ready(res);
  }

  @Public()
  @Get('live')
  @ApiExcludeEndpoint()
  live(@Res() res: Response): void {
    res.status(HttpStatus.OK).json({ status: 'up', uptimeSeconds: Math.round(process.uptime()) });
  }

  @Public()
  @Get('ready')
  @ApiExcludeEndpoint()
  async ready(@Res() res: Response): Promise<void> {
    const { up, body } = await this.readiness.check();
    res.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(body);
  }
}
