/** Moodle's LTI endpoint URLs under a site URL (wwwroot). */
export function moodleUrls(siteUrl: string) {
  return {
    authLogin: `${siteUrl}/mod/lti/auth.php`,
    token: `${siteUrl}/mod/lti/token.php`,
    certs: `${siteUrl}/mod/lti/certs.php`,
    login: `${siteUrl}/login/index.php`,
    course: (courseId: number) => `${siteUrl}/course/view.php?id=${courseId}`,
    memberships: (courseId: number, typeId: string) =>
      `${siteUrl}/mod/lti/services.php/CourseSection/${courseId}/bindings/${typeId}/memberships`,
    lineItems: (courseId: number, typeId: string) => `${siteUrl}/mod/lti/services.php/${courseId}/lineitems?type_id=${typeId}`,
    lineItem: (courseId: number, itemId: number, typeId: string) =>
      `${siteUrl}/mod/lti/services.php/${courseId}/lineitems/${itemId}/lineitem?type_id=${typeId}`,
    results: (courseId: number, itemId: number, typeId: string) =>
      `${siteUrl}/mod/lti/services.php/${courseId}/lineitems/${itemId}/lineitem/results?type_id=${typeId}`,
    contentItemReturn: (courseId: number, typeId: string, sesskey: string) =>
      `${siteUrl}/mod/lti/contentitem_return.php?course=${courseId}&id=${typeId}&sesskey=${sesskey}`,
  };
}
