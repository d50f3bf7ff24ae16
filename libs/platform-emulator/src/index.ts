export { DEFAULT_ACTIVITIES, DEFAULT_CLIENT_ID, DEFAULT_COURSE, DEFAULT_USERS, DEMO_PASSWORD } from './emulator-settings';
export { DEMO_OAUTH_CLIENT, MOBILE_SERVICE, SERVICE_FUNCTIONS } from './moodle/moodle-site';
export type {
  EmulatorFault,
  EmulatorFileInfo,
  EmulatorMoodleOptions,
  EmulatorOauthClient,
  EmulatorRequest,
  GeneratedCourseSpec,
  RunningMoodle,
} from './moodle/moodle.types';
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
