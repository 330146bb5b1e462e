import { INestApplication } from '@nestjs/common';
import { JrpConfig } from '@jrp/config';
import { FEEDBACK, FeedbackModule } from '@jrp/feedback/feedback.module';
import { createJrpApp } from '@jrp/http';
import { LIST_INGESTION, ListIngestionModule } from '@jrp/list-ingestion/list-ingestion.module';
import { MEASURES, MeasuresModule } from '@jrp/measures/measures.module';

/** The three services in one process (the embedded default deployment, usually on the in-process bus). */
export function createStandaloneApp(config: JrpConfig): Promise<INestApplication> {
  return createJrpApp(config, {
    title: 'jrp 联合奖惩系统',
    dataSources: [LIST_INGESTION, MEASURES, FEEDBACK],
    modules: [ListIngestionModule.register(), MeasuresModule.register(), FeedbackModule.register()],
  });
}
