import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { resolveConfig } from '@jrp/config';
import { closeOnSignals, createJrpApp, runMain } from '@jrp/http';
import { FEEDBACK, FeedbackModule } from './feedback.module';

/** feedback as its own process: usually several replicas, on Kafka, behind the reverse proxy. */
runMain(async () => {
  const config = resolveConfig(process.env, 'feedback');
  const app = await createJrpApp(config, { title: 'jrp feedback 反馈与报表', dataSources: [FEEDBACK], modules: [FeedbackModule.register()] });
  closeOnSignals(app);
  await app.listen(config.port);
  new Logger('jrp').log(`feedback is serving port ${config.port} on the ${config.bus} bus`);
});
