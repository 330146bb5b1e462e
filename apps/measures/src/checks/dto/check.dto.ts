import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BasisItemResponse } from '../../catalogue/dto/catalogue.response';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsNotEmpty,
  IsString,
  Matches,
  MaxLength,
  registerDecorator,
  ValidateNested,
  ValidationArguments,
} from 'class-validator';
import { ID_TYPES, IdType } from '@jrp/domain';
import {
  idNumberFieldProblem,
  idTypeFieldProblem,
  SubjectIdentifierInput,
  usccFieldProblem,
} from '../subject-identifier';
import { FOUND_AS, FoundAs } from '../check-answer';

/** class-validator: one rule over the whole subject, reported on `propertyName`. */
function SubjectRule(name: string, problem: (subject: SubjectIdentifierInput) => string | null) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name,
      target: object.constructor,
      propertyName,
      validator: {
        validate: (_value: unknown, args: ValidationArguments) => problem(args.object) === null,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property} ${problem(args?.object as SubjectIdentifierInput)}`,
      },
    });
}

/** Who is checked: `{uscc}` for a legal subject, `{idType, idNumber}` for a natural person. */
export class CheckSubjectDto {
  @ApiPropertyOptional({
    example: '91350100M000100Y43',
    description: '统一社会信用代码 of a legal subject (GB 32100 check character)',
  })
  @SubjectRule('checkUscc', usccFieldProblem)
  uscc?: string;

  @ApiPropertyOptional({ enum: ID_TYPES, description: '证件类型 of a natural person (resident-id when omitted)' })
  @SubjectRule('checkIdType', idTypeFieldProblem)
  idType?: IdType;

  @ApiPropertyOptional({
    example: '11010519491231002X',
    description: '证件号码 of a natural person (居民身份证: GB 11643; 15-digit numbers are converted)',
  })
  @SubjectRule('checkIdNumber', (s) => idNumberFieldProblem(s))
  idNumber?: string;
}

/** A counter check (嵌入式联合奖惩): a department's business system asks about a subject before acting. */
export class CheckDto {
  @ApiProperty({ type: CheckSubjectDto })
  @IsDefined({ message: 'subject is required' })
  @ValidateNested()
  @Type(() => CheckSubjectDto)
  subject: CheckSubjectDto;

  @ApiProperty({ example: '行政许可', description: '业务类型: the business the check is made for', maxLength: 64 })
  @IsString()
  @IsNotEmpty({ message: 'businessType must not be empty' })
  @MaxLength(64)
  businessType: string;

  @ApiProperty({
    example: 'XK-2026-000123',
    description: '业务编号: the business system’s own reference; one business links to a task once',
    maxLength: 128,
  })
  @IsString()
  @Matches(/^\S(.*\S)?$/, { message: 'reference must not be empty or start or end with spaces' })
  @MaxLength(128)
  reference: string;
}

export class CheckedEntryView {
  @ApiProperty({ format: 'uuid' }) entryId: string;
  @ApiProperty({ example: 'BL-COURT-DEBTOR' }) listType: string;
  @ApiProperty({ example: '失信被执行人名单' }) listTypeName: string;
  @ApiPropertyOptional({
    enum: ['red', 'black'],
    description: '红名单 / 黑名单 (absent for a list type the catalogue no longer holds)',
  })
  colour?: 'red' | 'black';
  @ApiProperty({
    enum: ['active', 'watch'],
    description: 'active: 列入 (measures apply); watch: 重点关注 (no measures)',
  })
  status: 'active' | 'watch';
  @ApiProperty({ example: '列入' }) statusLabel: string;
  @ApiProperty({ description: '异议处理中: an objection is pending' }) disputed: boolean;
  @ApiProperty({ example: '2026-11-02' }) listedAt: string;
  @ApiProperty({ example: '2029-11-01', nullable: true, type: String, description: '有效期至 (inclusive)' })
  validUntil: string | null;
  @ApiProperty({
    enum: FOUND_AS,
    description:
      'how the checked subject was found: as the entry’s subject, or as its legal representative (法定代表人)',
  })
  foundAs: FoundAs;
}

export class CheckedMeasureView {
  @ApiProperty({ example: 'M01-01' }) id: string;
  @ApiProperty() text: string;
  @ApiProperty({ enum: ['punishment', 'reward'] }) kind: 'punishment' | 'reward';
  @ApiProperty({ example: 'BL-COURT-DEBTOR' }) listType: string;
  @ApiProperty({ type: [String], description: '法律依据, where the catalogue gives it' }) legalBasis: string[];
  @ApiProperty({
    type: [BasisItemResponse],
    description: '依据: the structured basis items, as the catalogue reads them',
  })
  basis: BasisItemResponse[];
  @ApiProperty({ description: '依据待核对: the catalogue has not confirmed a legal basis for this measure yet' })
  basisPending: boolean;
  @ApiProperty({ type: [String], description: 'the listed entries that imply the measure' }) entryIds: string[];
}

export class WithheldFacilitationView {
  @ApiProperty({
    example: 'notify-commit',
    description:
      'the code the list type’s rule set gives it (e.g. notify-commit 告知承诺, tolerance-acceptance 容缺受理)',
  })
  code: string;
  @ApiProperty({ example: '不适用告知承诺制' }) label: string;
  @ApiProperty({ description: '依据' }) basis: string;
  @ApiProperty({ type: [String], description: 'the black-list entries in force that withhold it' }) entryIds: string[];
}

export class CheckResultView {
  @ApiProperty({ format: 'uuid' }) checkId: string;
  @ApiProperty({ description: 'on a list with at least one entry in force (列入): its measures apply' })
  listed: boolean;
  @ApiProperty({
    type: [CheckedEntryView],
    description: 'entries in force or on the watch list; removed and expired ones are not shown',
  })
  entries: CheckedEntryView[];
  @ApiProperty({ type: [CheckedMeasureView], description: 'the caller’s own measures for the entries in force' })
  measures: CheckedMeasureView[];
  @ApiProperty({
    type: [CheckedMeasureView],
    description: '激励措施: the reward measures among `measures` (a red-list entry in force), with their legal basis',
  })
  rewards: CheckedMeasureView[];
  @ApiProperty({
    type: [WithheldFacilitationView],
    description:
      'for a black-list entry in force: facilitations the subject may not use (e.g. 告知承诺, 容缺受理), from the list types’ rule sets, by code',
  })
  withheldFacilitations: WithheldFacilitationView[];
  @ApiProperty({
    type: [String],
    description: 'the caller’s standing tasks for these entries, linked to this business (核查)',
  })
  taskIds: string[];
  @ApiProperty({ example: '2026-11-05T02:00:00.000Z' }) checkedAt: string;
}
