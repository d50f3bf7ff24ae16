import type { DataSourceOptions } from 'typeorm';
import { ferryEntities, ferryMigrations } from './schema';

export function ferryDataSourceOptions(url: string, overrides: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ferryEntities,
    migrations: ferryMigrations,
    migrationsTableName: 'migrations',
    // Schema changes go through migrations only; see libs/database/src/migrations.
    synchronize: false,
    migrationsRun: false,
    extra: { max: 20 },
    ...overrides,
  } as DataSourceOptions;
}
