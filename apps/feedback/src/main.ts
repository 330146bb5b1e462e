import 'reflect-metadata';
import { resolveConfig } from '@jrp/config';
import { closeOnSignals, createJrpApp, listenAndAnnounce, runMain } from '@jrp/http';
import { FEEDBACK, FeedbackModule } from './feedback.module';

/** feedback as its own process: usually several replicas, on Kafka, behind the reverse proxy. */
runMain(async () => {
  const config = resolveConfig(process.env, 'feedback');
  const app = await createJrpApp(config, {
    title: 'jrp feedback 反馈与报表',
    dataSources: [FEEDBACK],
    modules: [FeedbackModule.register()],
  });
  closeOnSignals(app);
  await listenAndAnnounce(app, config.port, { name: 'feedback', dashboard: true, detail: `(${config.bus} bus)` });
});
