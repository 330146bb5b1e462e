import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { resolveConfig } from '@jrp/config';
import { closeOnSignals, createJrpApp, runMain } from '@jrp/http';
import { MEASURES, MeasuresModule } from './measures.module';

/** measures as its own process: usually several replicas, on Kafka, behind the reverse proxy. */
runMain(async () => {
  const config = resolveConfig(process.env, 'measures');
  const app = await createJrpApp(config, { title: 'jrp measures 措施与任务', dataSources: [MEASURES], modules: [MeasuresModule.register()] });
  closeOnSignals(app);
  await app.listen(config.port);
  new Logger('jrp').log(`measures is serving port ${config.port} on the ${config.bus} bus`);
});
