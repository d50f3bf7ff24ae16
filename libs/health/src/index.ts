export { startHealthListener } from './health-listener';
export { HealthHttpModule, HealthModule } from './health.module';
export { HealthService } from './health.service';
export type { DependencyStatus, HealthReport } from './health.service';
