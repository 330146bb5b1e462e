import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type DeadLetterStatus = 'pending' | 'replayed' | 'discarded';

/** A message a consumer could not process: kept with its error until replayed or discarded. */
@Entity({ name: 'dead_letters' })
export class DeadLetter {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ type: 'text' }) consumer: string;
  @Column({ type: 'text' }) topic: string;
  @Column({ type: 'text' }) key: string;
  @Column({ name: 'event_id', type: 'text', nullable: true }) eventId: string | null;
  @Column({ type: 'text' }) value: string;
  @Column({ type: 'text' }) error: string;
  @Column({ type: 'int' }) attempts: number;
  @Column({ type: 'text', default: 'pending' }) status: DeadLetterStatus;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
}
