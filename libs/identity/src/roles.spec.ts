import { describe, expect, it } from 'vitest';
import { mapLtiRoles } from './roles';

const lis = 'http://purl.imsglobal.org/vocab/lis/v2';

describe(mapLtiRoles.name, () => {
  it('maps Moodle site admin roles to admin and instructor', () => {
    expect(
      mapLtiRoles([`${lis}/institution/person#Administrator`, `${lis}/membership#Instructor`, `${lis}/system/person#Administrator`]),
    ).toEqual(['admin', 'instructor']);
  });

  it('maps teaching assistants and content developers to instructor, also as sub-roles', () => {
    expect(mapLtiRoles([`${lis}/membership#TeachingAssistant`])).toEqual(['instructor']);
    expect(mapLtiRoles([`${lis}/membership/Instructor#TeachingAssistant`])).toEqual(['instructor']);
    expect(mapLtiRoles([`${lis}/membership#ContentDeveloper`])).toEqual(['instructor']);
  });

  it('accepts short role names', () => {
    expect(mapLtiRoles(['Instructor', 'Learner'])).toEqual(['instructor', 'learner']);
  });

  it('ignores unknown roles and accepts an empty list', () => {
    expect(mapLtiRoles(['http://example.com/roles#Wizard', `${lis}/institution/person#Staff`])).toEqual([]);
    expect(mapLtiRoles([])).toEqual([]);
  });
});
