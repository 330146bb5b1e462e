import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, MaxLength } from 'class-validator';

export class WebhookTargetsDto {
  @ApiProperty({
    example: ['10.12.0.0/16', 'receiver.gov.internal'],
    description: 'hosts, IP addresses and CIDR ranges; an empty list removes them all',
  })
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(253, { each: true })
  targets: string[];
}
