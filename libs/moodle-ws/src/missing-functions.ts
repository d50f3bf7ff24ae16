import type { MoodleSiteInfo } from './moodle-ws.types';

/** The web service functions the external service behind an admin's token must include for Ferry. */
export const FERRY_REQUIRED_MOODLE_FUNCTIONS = [
  'core_webservice_get_site_info',
  'core_enrol_get_users_courses',
  'core_course_search_courses',
  'core_course_get_courses_by_field',
  'core_course_get_contents',
] as const;

/** The required functions the token's service lacks, in the order given. Site info lists what the token may call. */
export function missingFunctions(
  siteInfo: Pick<MoodleSiteInfo, 'functions'>,
  required: readonly string[] = FERRY_REQUIRED_MOODLE_FUNCTIONS,
): string[] {
  const available = new Set(siteInfo.functions.map((fn) => fn.name));
  return required.filter((name) => !available.has(name));
}
