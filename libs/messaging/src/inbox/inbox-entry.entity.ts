import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Inbox: one row per (consumer, event id), inserted in the transaction of the event's effects. */
@Entity({ name: 'inbox' })
export class InboxEntry {
  @PrimaryColumn({ type: 'text' }) consumer: string;
  @PrimaryColumn({ name: 'event_id', type: 'text' }) eventId: string;
  @Column({ name: 'processed_at', type: 'timestamptz', default: () => 'now()' }) processedAt: Date;
}
