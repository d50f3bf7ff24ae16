export { DatabaseModule } from './database.module';
export { ferryDataSourceOptions } from './data-source-options';
export { migrateDatabase, runMigrationsUnderLock } from './run-migrations';
export { ferryEncryptedColumns, ferryEntities, ferryMigrations } from './schema';
