import type { EmulatorMoodleOptions } from './moodle/moodle.types';
import type {
  EmulatorActivity,
  EmulatorCourse,
  EmulatorDeployment,
  EmulatorUser,
  PlatformEmulatorOptions,
} from './platform-emulator.types';

/** Every demo user's password. */
export const DEMO_PASSWORD = 'password';

export const DEFAULT_CLIENT_ID = 'Gyg39EMMRRzRyuO';

export const DEFAULT_USERS: readonly EmulatorUser[] = [
  { id: '2', username: 'admin', firstname: 'Admin', lastname: 'User', email: 'admin@example.com', role: 'admin' },
  { id: '4', username: 'teacher1', firstname: 'Ivy', lastname: 'Instructor', email: 'teacher1@example.com', role: 'instructor' },
  { id: '3', username: 'student1', firstname: 'Sam', lastname: 'Student', email: 'student1@example.com', role: 'learner' },
];

export const DEFAULT_COURSE: EmulatorCourse = { id: 2, shortname: 'TRANSFER101', fullname: 'Transfer 101' };

export const DEFAULT_ACTIVITIES: readonly EmulatorActivity[] = [
  {
    cmid: 3,
    instanceId: 1,
    name: 'LTI Transfer activity',
    description: 'Test lti 1',
    deploymentId: '1',
    custom: { activity_param: 'hello' },
    lineItem: { id: 2, scoreMaximum: 100 },
  },
];

/** What the captured Moodle site reports about itself (tool_platform claim). */
export const SITE = {
  productFamilyCode: 'moodle',
  version: '2025041400',
  shortName: 'peer',
  fullName: 'Moodle LTI Peer',
};

export interface EmulatorSettings {
  host: string;
  issuerOverride: string | undefined;
  clientId: string;
  tool: PlatformEmulatorOptions['tool'];
  deployments: EmulatorDeployment[];
  users: EmulatorUser[];
  course: EmulatorCourse;
  activities: EmulatorActivity[];
  moodle: EmulatorMoodleOptions;
}

export function resolveSettings(options: PlatformEmulatorOptions): EmulatorSettings {
  const deployments = (options.deployments ?? ['1']).map((deployment) =>
    typeof deployment === 'string' ? { id: deployment } : { ...deployment },
  );
  const activities = (options.activities ?? DEFAULT_ACTIVITIES).map((activity) => ({ ...activity }));
  for (const activity of activities) {
    if (!deployments.some((deployment) => deployment.id === activity.deploymentId)) {
      throw new Error(`Activity ${activity.cmid} uses deployment ${activity.deploymentId}, which is not among the deployments`);
    }
  }
  return {
    host: options.host ?? '127.0.0.1',
    issuerOverride: options.issuer,
    clientId: options.clientId ?? DEFAULT_CLIENT_ID,
    tool: { ...options.tool },
    deployments,
    users: (options.users ?? DEFAULT_USERS).map((user) => ({ ...user })),
    course: { ...(options.course ?? DEFAULT_COURSE) },
    activities: withLineItems(activities),
    moodle: options.moodle ?? {},
  };
}

/** Moodle makes a grade item (100 points by default) for every graded external tool activity. */
function withLineItems(activities: EmulatorActivity[]): EmulatorActivity[] {
  let nextId = Math.max(1, ...activities.map((activity) => (activity.lineItem ? activity.lineItem.id : 0))) + 1;
  return activities.map((activity) =>
    activity.lineItem === undefined && activity.kind !== 'deep-linking'
      ? { ...activity, lineItem: { id: nextId++, scoreMaximum: 100 } }
      : activity,
  );
}
