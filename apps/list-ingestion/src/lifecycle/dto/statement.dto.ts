import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** The subject's statement (陈述申辩) on a noticed entry (拟列入), as its publisher or the office received it. */
export class StatementDto {
  @ApiProperty({ example: '已于告知后补缴全部欠款，请求不予列入', description: '陈述申辩的内容' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(8000)
  text: string;

  @ApiProperty({
    example: '2026-11-20',
    description: 'when the statement was made: a date (Asia/Shanghai) or a timestamp with offset',
  })
  @IsISO8601({ strict: true })
  at: string;

  @ApiPropertyOptional({ example: '0551-12345678', description: 'how to reach the subject (联系方式)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  contact?: string;
}
