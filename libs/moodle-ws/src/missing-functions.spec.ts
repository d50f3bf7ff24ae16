import { describe, expect, it } from 'vitest';
import { fixture } from './fake-moodle';
import { FERRY_REQUIRED_MOODLE_FUNCTIONS, missingFunctions } from './missing-functions';
import type { MoodleSiteInfo } from './moodle-ws.types';

const siteInfo = JSON.parse(fixture('ws-core_webservice_get_site_info.json')) as MoodleSiteInfo;

describe(missingFunctions.name, () => {
  it('names the required functions the token’s service lacks', () => {
    expect(missingFunctions(siteInfo)).toEqual(['core_course_search_courses', 'core_course_get_courses_by_field']);
  });

  it('finds nothing missing when the service has every required function', () => {
    const complete = { functions: FERRY_REQUIRED_MOODLE_FUNCTIONS.map((name) => ({ name, version: '2025041400' })) };
    expect(missingFunctions(complete)).toEqual([]);
  });

  it('checks a caller’s own list', () => {
    expect(missingFunctions(siteInfo, ['core_files_get_files', 'core_files_upload'])).toEqual(['core_files_upload']);
  });
});
