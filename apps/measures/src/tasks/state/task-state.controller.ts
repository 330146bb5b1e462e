import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReassignmentResponse, TaskResponse } from '../dto/task.response';
import { CurrentPrincipal, Principal, Roles } from '@jrp/auth';
import { TaskQueriesService } from '../queries/task-queries.service';
import { LiftTaskDto, ReassignTaskDto, ReturnTaskDto } from './dto/task-state.dto';
import { TaskStateService } from './task-state.service';

/**
 * Receipt (签收), return (退回) and the confirmation of lifting (解除确认) by the implementing organisation;
 * reassignment (改派) by the office.
 */
@ApiTags('tasks 任务')
@ApiBearerAuth()
@Controller('tasks')
export class TaskStateController {
  constructor(
    private readonly state: TaskStateService,
    private readonly tasks: TaskQueriesService,
  ) {}

  @Post(':id/ack')
  @HttpCode(200)
  @Roles('implementer')
  @ApiOperation({
    operationId: 'acknowledgeTask',
    summary: 'Record receipt of one of the caller’s tasks (repeats are harmless)',
  })
  @ApiOkResponse({ type: TaskResponse })
  async acknowledge(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal) {
    await this.state.acknowledge(id, principal.organization.code);
    return this.view(id, principal.organization.code);
  }

  @Post(':id/return')
  @HttpCode(200)
  @Roles('implementer')
  @ApiOperation({
    operationId: 'returnTask',
    summary: 'Return a misrouted task to the office, with the reason (repeats are harmless)',
  })
  @ApiOkResponse({ type: TaskResponse })
  async return(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: ReturnTaskDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.state.return(id, principal.organization.code, dto.reason.trim());
    return this.view(id, principal.organization.code);
  }

  @Post(':id/lifted')
  @HttpCode(200)
  @Roles('implementer')
  @ApiOperation({
    operationId: 'confirmTaskLifted',
    summary:
      '解除确认: confirm that the measures of a task revoked by its entry leaving the list (repair, removal, expiry, objection upheld) were lifted (a repeat returns the first confirmation)',
  })
  @ApiOkResponse({ type: TaskResponse })
  async lifted(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: LiftTaskDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.state.confirmLifting(id, principal.organization.code, dto.liftedAt, dto.note?.trim() || null);
    return this.view(id, principal.organization.code);
  }

  @Post(':id/reassignment')
  @HttpCode(200)
  @Roles('office')
  @ApiOperation({
    operationId: 'reassignTask',
    summary: 'Give a returned task’s measures to another organisation (or back to the one that returned it)',
  })
  @ApiOkResponse({ type: ReassignmentResponse })
  async reassign(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: ReassignTaskDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const city = principal.organization.level === 'city' ? principal.organization.region : undefined;
    const result = await this.state.reassign(
      id,
      dto.organization,
      dto.reason?.trim(),
      principal.organization.code,
      city,
    );
    return { returnedTask: await this.view(id), task: await this.view(result.task) };
  }

  private view(id: string, organization?: string) {
    return this.tasks.view(id, { organization });
  }
}
