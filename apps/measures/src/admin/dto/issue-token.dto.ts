import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class IssueTokenDto {
  @ApiPropertyOptional({ example: '税务征管系统对接', description: 'the person or system the token is issued to' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  label?: string;
}
