/** English, the reference catalogue: every other language has exactly these keys and placeholders. */
export const en = {
  'app.name': 'Ferry',
  'app.loading': 'Loading…',

  'header.label': 'Your session',
  'header.user': 'Signed in as',
  'header.course': 'Course',
  'header.platform': 'Moodle site',

  'value.noCourse': 'No course',
  'value.unnamedUser': 'Unnamed user',
  'value.untitledActivity': 'Untitled activity',
  'value.notProvided': 'Not provided',

  'role.admin': 'Administrator',
  'role.instructor': 'Instructor',
  'role.learner': 'Learner',

  'home.learner.heading': 'Hello, {name}',
  'home.instructor.heading': 'Welcome, {name}',
  'home.course': 'Course',
  'home.activity': 'Activity',
  'home.noCourse': 'You opened Ferry outside a course, so there is no course to show here.',

  'admin.heading': 'Admin console',
  'admin.nav.label': 'Admin console',
  'admin.nav.overview': 'Overview',
  'admin.overview.heading': 'Overview',
  'admin.overview.name': 'Your name',
  'admin.overview.email': 'Your email',
  'admin.overview.platform': 'Moodle site',
  'admin.overview.issuer': 'Issuer',
  'admin.overview.course': 'Course',
  'admin.overview.activity': 'Activity',
  'admin.overview.roles': 'Your roles',

  'deepLink.heading': 'Add Ferry content to the course',
  'deepLink.intro': 'Moodle asked Ferry for content to add to {course}.',
  'deepLink.noCourse': 'Moodle asked Ferry for content to add outside a course.',
  'deepLink.user': 'Requested by',

  'session.launchAgain.heading': 'Open the activity again from Moodle',
  'session.launchAgain.codeInvalid': 'This launch has already been used or has expired.',
  'session.launchAgain.expired': 'Your Ferry session has expired.',
  'session.launchAgain.missing': 'There is no Ferry session in this window.',
  'session.launchAgain.action': 'Go back to your course in Moodle and open the Ferry activity again.',

  'error.heading': 'Something went wrong',
  'error.body': 'Ferry could not load this page.',
  'error.code': 'Error code: {code}',
  'error.retry': 'Try again',

  'notFound.heading': 'Page not found',
  'notFound.body': 'Open Ferry from your course in Moodle.',
} as const;
