import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** What `GET /health` answers, 200 and 503 alike. */
export class HealthResponse {
  @ApiProperty({ enum: ['up', 'down'], description: 'up when every check is up' }) status: 'up' | 'down';

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', enum: ['up', 'down'] },
    example: { 'database:measures': 'up', 'bus:kafka': 'up', 'outbox:measures': 'up' },
    description:
      'each database of the process (`database:<name>`), the bus (`bus:<name>`) and each service’s outbox (`outbox:<service>`)',
  })
  checks: Record<string, 'up' | 'down'>;

  @ApiPropertyOptional({
    type: [String],
    description: 'when down: what failed, one line per check',
    example: ['bus:kafka: not connected'],
  })
  failed?: string[];

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { measures: 0 },
    description: 'per service: events unsent for over 30 s (counted up to the threshold)',
  })
  outboxBacklog: Record<string, number>;
}
