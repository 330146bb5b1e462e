import 'reflect-metadata';
import { resolveConfig } from '@jrp/config';
import { closeOnSignals, createJrpApp, listenAndAnnounce, runMain } from '@jrp/http';
import { LIST_INGESTION, ListIngestionModule } from './list-ingestion.module';

/** list-ingestion as its own process: usually several replicas, on Kafka, behind the reverse proxy. */
runMain(async () => {
  const config = resolveConfig(process.env, 'list-ingestion');
  const app = await createJrpApp(config, {
    title: 'jrp list-ingestion 红黑名单',
    dataSources: [LIST_INGESTION],
    modules: [ListIngestionModule.register()],
  });
  closeOnSignals(app);
  await listenAndAnnounce(app, config.port, {
    name: 'list-ingestion',
    dashboard: false,
    detail: `(${config.bus} bus)`,
  });
});
