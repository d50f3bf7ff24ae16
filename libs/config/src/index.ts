export { ConfigModule } from './config.module';
export { ConfigurationError, FerryConfig, loadConfig } from './ferry-config';
export type { AzureCredentials, EncryptionKey, LogLevel } from './ferry-config';
export { nestLogLevels } from './log-levels';
