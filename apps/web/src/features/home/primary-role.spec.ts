import { describe, expect, it } from 'vitest';
import { primaryRole } from './primary-role';

describe(primaryRole.name, () => {
  it('lets admin win over instructor and learner, whatever the order', () => {
    expect(primaryRole(['learner', 'instructor', 'admin'])).toBe('admin');
  });

  it('lets instructor win over learner', () => {
    expect(primaryRole(['learner', 'instructor'])).toBe('instructor');
  });

  it('gives someone without a Ferry role the learner view', () => {
    expect(primaryRole([])).toBe('learner');
  });
});
