import 'reflect-metadata';
import { resolveConfig } from '@jrp/config';
import { PersonalData } from '@jrp/crypto';
import { openServiceDataSource, serviceDataSourceOptions } from '@jrp/database';
import { runMain } from '@jrp/http';
import { LIST_INGESTION_MIGRATIONS } from '../list-ingestion.migrations';
import { rotateDataKeys } from './rotate-data-keys';

/** `npm run rotate-data-keys`: re-encrypts list-ingestion's stored ID numbers under the current data key. */
runMain(async () => {
  const config = resolveConfig(process.env, 'list-ingestion');
  const schema = config.schemaOf('list-ingestion');
  const url = config.databaseUrl;
  const migrations = LIST_INGESTION_MIGRATIONS;
  const options = serviceDataSourceOptions({ name: 'list-ingestion', url, schema, migrations });
  const dataSource = await openServiceDataSource({ ...options, schema, url, migrate: config.migrate });
  try {
    const personalData = new PersonalData({
      dataKeys: config.dataKeys,
      cipher: config.dataCipher,
      lookupSecret: config.subjectKeySecret,
      lookup: config.lookupHash,
    });
    const rotated = await rotateDataKeys(dataSource, personalData);
    console.log(`re-encrypted ${rotated} ID numbers under the current data key`);
  } finally {
    await dataSource.destroy();
  }
});
