import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@jrp/auth';
import { PageOf } from '@jrp/http';
import { TaskResponse } from '../dto/task.response';
import { TasksQueryDto } from './dto/tasks-query.dto';
import { TaskQueriesService } from './task-queries.service';

/**
 * Tasks' current state (联合奖惩任务): an implementing organisation sees its own, the office every
 * organisation's (returned tasks waiting for reassignment among them).
 */
@ApiTags('tasks 任务')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TaskQueriesService) {}

  @Get()
  @Roles('implementer', 'office')
  @ApiOperation({
    operationId: 'listTasks',
    summary: "Tasks by state, oldest first: the caller's own, or for the office every organisation's",
  })
  @ApiOkResponse({ type: PageOf(TaskResponse) })
  list(@Query() query: TasksQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.tasks.list(query, principal);
  }

  @Get(':id')
  @Roles('implementer', 'office')
  @ApiOperation({ operationId: 'getTask', summary: "One task as it stands (another organisation's answers 404)" })
  @ApiOkResponse({ type: TaskResponse })
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal) {
    return this.tasks.get(id, principal);
  }
}
