import { DynamicModule, Module } from '@nestjs/common';
import { JrpConfig } from '@jrp/config';
import { FEEDBACK, FeedbackModule } from '@jrp/feedback/feedback.module';
import { PlatformModule } from '@jrp/http';
import { LIST_INGESTION, ListIngestionModule } from '@jrp/list-ingestion/list-ingestion.module';
import { MEASURES, MeasuresModule } from '@jrp/measures/measures.module';

/** The three services in one process, on the in-process bus: the embedded default deployment. */
@Module({})
export class StandaloneModule {
  static forRoot(config: JrpConfig): DynamicModule {
    return {
      module: StandaloneModule,
      imports: [
        PlatformModule.forRoot(config, { dataSources: [LIST_INGESTION, MEASURES, FEEDBACK] }),
        ListIngestionModule.register(),
        MeasuresModule.register(),
        FeedbackModule.register(),
      ],
    };
  }
}
