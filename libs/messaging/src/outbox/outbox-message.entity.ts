import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { CloudEvent } from '@jrp/contracts';

/** Transactional outbox: written in the transaction of the state change, sent by the relay in `seq` order. */
@Entity({ name: 'outbox' })
export class OutboxMessage {
  @PrimaryGeneratedColumn({ type: 'bigint' }) seq: string;
  @Index({ unique: true }) @Column({ name: 'event_id', type: 'text' }) eventId: string;
  @Column({ type: 'text' }) topic: string;
  @Column({ type: 'text' }) key: string;
  @Column({ type: 'text' }) type: string;
  @Column({ type: 'jsonb' }) envelope: CloudEvent;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true }) publishedAt: Date | null;
}
