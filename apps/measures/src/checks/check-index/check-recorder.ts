import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { AuditRecordedData } from '@jrp/contracts';
import { CheckRecord, ChecksRepository } from '../checks.repository';
import { GroupCommit } from './group-commit';

/** Rows one commit writes at most (two arrays of this many per column: well within one statement). */
const MAX_ROWS = 256;
/** Commits in flight at once: the pool's other connections stay for the listed checks and the rest. */
const MAX_IN_FLIGHT = 2;

type UnlistedCheck = { check: Omit<CheckRecord, 'listed' | 'entryIds' | 'taskIds'>; audit: AuditRecordedData };

/**
 * Records the checks answered from memory (not listed) with their audit records by group commit: a
 * check's answer waits until its rows are committed, so nothing is answered that is not recorded, and a
 * failed commit fails every check in it (5xx, no answer).
 */
@Injectable()
export class CheckRecorder implements OnApplicationShutdown {
  private readonly commits: GroupCommit<UnlistedCheck>;

  constructor(checks: ChecksRepository) {
    this.commits = new GroupCommit((rows) => checks.recordUnlisted(rows), {
      maxItems: MAX_ROWS,
      maxInFlight: MAX_IN_FLIGHT,
    });
  }

  /** Resolves when the check and its audit record are committed. */
  record(check: UnlistedCheck['check'], audit: AuditRecordedData): Promise<void> {
    return this.commits.add({ check, audit });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.commits.drained();
  }
}
