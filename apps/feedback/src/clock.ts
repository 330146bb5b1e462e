import { Injectable } from '@nestjs/common';

/** The service's clock: when feedback is recorded, and what "now" means for overdue tasks. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
