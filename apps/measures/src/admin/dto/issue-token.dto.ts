import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class IssueTokenDto {
  @ApiPropertyOptional({ example: '税务征管系统对接', description: 'the person or system the token is issued to' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  label?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 730, default: 365, description: 'days until the token expires' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(730)
  expiresInDays?: number;
}
