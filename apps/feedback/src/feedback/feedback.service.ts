import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Principal } from '@jrp/auth';
import { eventIdOf, FeedbackEvents, FeedbackRecordedData } from '@jrp/contracts';
import { FieldValidationException } from '@jrp/http';
import { UnitOfWork } from '@jrp/messaging';
import { AuditRecorder } from '@jrp/audit';
import { RecordFeedbackDto } from './dto/record-feedback.dto';

@Injectable()
export class FeedbackService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly audit: AuditRecorder,
  ) {}

  /** Records feedback on one of the caller's tasks; another organisation's task is 404. */
  async record(dto: RecordFeedbackDto, principal: Principal): Promise<FeedbackRecordedData> {
    return this.uow.run(async (m, outbox) => {
      const [task] = await m.query(`SELECT id, organization, measure_ids AS "measureIds", status FROM known_tasks WHERE id = $1 FOR SHARE`, [
        dto.taskId,
      ]);
      if (!task || task.organization !== principal.organization.code) throw new NotFoundException('no such task');
      const errors = dto.items.flatMap((item, i) => {
        if (!task.measureIds.includes(item.measureId)) return [{ field: `items.${i}.measureId`, message: `${item.measureId} is not a measure of this task` }];
        if (dto.items.findIndex((x) => x.measureId === item.measureId) !== i) return [{ field: `items.${i}.measureId`, message: 'appears twice' }];
        if (item.outcome === 'implemented' && !item.implementedAt) return [{ field: `items.${i}.implementedAt`, message: 'is required when the outcome is implemented' }];
        return [];
      });
      if (errors.length > 0) throw new FieldValidationException(errors);
      if (task.status === 'revoked') throw new ConflictException('the task was revoked');

      const id = randomUUID();
      const [{ recorded_at: recordedAt }] = await m.query(
        `INSERT INTO feedback (id, version, task_id, organization, recorded_by_token) VALUES ($1, 1, $2, $3, $4) RETURNING recorded_at`,
        [id, dto.taskId, principal.organization.code, principal.tokenId],
      );
      for (const item of dto.items) {
        await m.query(`INSERT INTO feedback_items (feedback_id, measure_id, outcome, implemented_at, explanation) VALUES ($1, $2, $3, $4, $5)`, [
          id, item.measureId, item.outcome, item.implementedAt ?? null, item.explanation ?? null,
        ]);
      }
      const data: FeedbackRecordedData = {
        feedbackId: id,
        version: 1,
        taskId: dto.taskId,
        organization: principal.organization.code,
        items: dto.items.map((i) => ({ measureId: i.measureId, outcome: i.outcome, implementedAt: i.implementedAt ?? null, explanation: i.explanation ?? null })),
        recordedAt: new Date(recordedAt).toISOString(),
      };
      await outbox.append(m, [
        { id: eventIdOf('feedback', id, 1, FeedbackEvents.Recorded), type: FeedbackEvents.Recorded, key: dto.taskId, subject: `feedback/${id}`, data },
      ]);
      await this.audit.record(m, outbox, { action: 'feedback.record', objectType: 'feedback', objectId: id });
      return data;
    });
  }
}
