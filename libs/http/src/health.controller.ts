import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiTags } from '@nestjs/swagger';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '@jrp/auth';
import { EventBus } from '@jrp/messaging';

export const HEALTH_DATA_SOURCES = 'jrp:health-data-sources';

/** `GET /health`: 200 when every database of this process and the bus answer, 503 otherwise. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly moduleRef: ModuleRef) {}

  @Public()
  @Get()
  async health(@Res() res: Response): Promise<void> {
    const names: string[] = this.moduleRef.get(HEALTH_DATA_SOURCES, { strict: false });
    const checks: Record<string, 'up' | 'down'> = {};
    await Promise.all(
      names.map(async (name) => {
        try {
          const ds = this.moduleRef.get<DataSource>(getDataSourceToken(name), { strict: false });
          await ds.query('SELECT 1');
          checks[`database:${name}`] = 'up';
        } catch {
          checks[`database:${name}`] = 'down';
        }
      }),
    );
    const bus = this.moduleRef.get(EventBus, { strict: false });
    checks[`bus:${bus.name}`] = (await bus.isHealthy().catch(() => false)) ? 'up' : 'down';
    const up = Object.values(checks).every((c) => c === 'up');
    res.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json({ status: up ? 'up' : 'down', checks });
  }
}
