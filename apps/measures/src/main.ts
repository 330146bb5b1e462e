import 'reflect-metadata';
import { resolveConfig } from '@jrp/config';
import { closeOnSignals, createJrpApp, listenAndAnnounce, runMain } from '@jrp/http';
import { MEASURES, MeasuresModule } from './measures.module';

/** measures as its own process: usually several replicas, on Kafka, behind the reverse proxy. */
runMain(async () => {
  const config = resolveConfig(process.env, 'measures');
  const app = await createJrpApp(config, {
    title: 'jrp measures 措施与任务',
    dataSources: [MEASURES],
    modules: [MeasuresModule.register()],
  });
  closeOnSignals(app);
  await listenAndAnnounce(app, config.port, { name: 'measures', dashboard: false, detail: `(${config.bus} bus)` });
});
