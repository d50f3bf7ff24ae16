import { describe, expect, it } from 'vitest';
import { resolveSettings } from './emulator-settings';

const tool = { loginUrl: 'http://t/lti/login', launchUrl: 'http://t/lti/launch', jwksUrl: 'http://t/jwks' };

describe(resolveSettings.name, () => {
  it('defaults to the captured site: client id, deployment 1, the three demo users and the course', () => {
    const sut = resolveSettings({ port: 0, tool });
    expect(sut.clientId).toBe('Gyg39EMMRRzRyuO');
    expect(sut.deployments).toEqual([{ id: '1' }]);
    expect(sut.users.map((user) => [user.id, user.username, user.role])).toEqual([
      ['2', 'admin', 'admin'],
      ['4', 'teacher1', 'instructor'],
      ['3', 'student1', 'learner'],
    ]);
    expect(sut.course).toEqual({ id: 2, shortname: 'TRANSFER101', fullname: 'Transfer 101' });
  });

  it('takes bare deployment ids and gives graded activities their own grade items', () => {
    const sut = resolveSettings({
      port: 0,
      tool,
      deployments: ['1', { id: '7' }],
      activities: [
        { cmid: 3, instanceId: 1, name: 'A', deploymentId: '1', lineItem: { id: 2, scoreMaximum: 10 } },
        { cmid: 4, instanceId: 2, name: 'B', deploymentId: '7' },
        { cmid: 5, instanceId: 3, name: 'C', deploymentId: '7', lineItem: false },
      ],
    });
    expect(sut.deployments).toEqual([{ id: '1' }, { id: '7' }]);
    expect(sut.activities.map((activity) => activity.lineItem)).toEqual([{ id: 2, scoreMaximum: 10 }, { id: 3, scoreMaximum: 100 }, false]);
  });

  it('refuses an activity on a deployment the site does not have', () => {
    expect(() => resolveSettings({ port: 0, tool, activities: [{ cmid: 3, instanceId: 1, name: 'A', deploymentId: '9' }] })).toThrow(/deployment 9/);
  });
});
