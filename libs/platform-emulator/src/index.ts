export { DEFAULT_ACTIVITIES, DEFAULT_CLIENT_ID, DEFAULT_COURSE, DEFAULT_USERS, DEMO_PASSWORD } from './emulator-settings';
export { PlatformEmulator } from './platform-emulator';
export { PlatformEmulatorModule } from './platform-emulator.module';
export type {
  BuildLaunchClaimsInput,
  EmulatorActivity,
  EmulatorCourse,
  EmulatorDeployment,
  EmulatorLineItem,
  EmulatorRole,
  EmulatorScore,
  EmulatorUser,
  LtiMessageType,
  PlatformEmulatorOptions,
  RunningPlatformEmulator,
  SignIdTokenOptions,
} from './platform-emulator.types';
export { startPlatformEmulator } from './start-platform-emulator';
