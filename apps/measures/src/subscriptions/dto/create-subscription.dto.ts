import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsString, MaxLength } from 'class-validator';
import { TASK_CHANGE_TYPES, TaskChangeType } from '@jrp/contracts';

export class CreateSubscriptionDto {
  @ApiProperty({
    example: 'https://receiver.example.gov.cn/jrp/webhooks',
    description: 'http or https; private or local addresses only when the admin allows them',
  })
  @IsString()
  @MaxLength(2048)
  url: string;

  @ApiProperty({ enum: TASK_CHANGE_TYPES, isArray: true, example: ['dispatched', 'updated', 'revoked'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(TASK_CHANGE_TYPES.length)
  @ArrayUnique()
  @IsIn(TASK_CHANGE_TYPES, { each: true, message: `each type must be one of ${TASK_CHANGE_TYPES.join(', ')}` })
  types: TaskChangeType[];
}
