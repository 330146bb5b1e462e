/** Kafka topics, versioned. One topic per aggregate family; the message key orders one aggregate's changes. */
export const Topics = {
  ListEntry: 'jrp.list-entry.v1',
  Task: 'jrp.task.v1',
  Feedback: 'jrp.feedback.v1',
  Catalogue: 'jrp.catalogue.v1',
  Token: 'jrp.token.v1',
  Audit: 'jrp.audit.v1',
} as const;
export type Topic = (typeof Topics)[keyof typeof Topics];

/** Consumer groups: one per service that consumes. The group name is also the inbox's consumer name. */
export const ConsumerGroups = {
  ListIngestion: 'list-ingestion',
  Measures: 'measures',
  Feedback: 'feedback',
} as const;
export type ConsumerGroup = (typeof ConsumerGroups)[keyof typeof ConsumerGroups];

/** The dead-letter topic of one consumer group and topic. */
export const deadLetterTopic = (group: string, topic: string) => `${topic}.dlq.${group}`;
