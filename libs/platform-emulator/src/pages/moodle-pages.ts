import escapeHtml from 'escape-html';
import { SITE } from '../emulator-settings';
import type { EmulatorActivity, EmulatorCourse, EmulatorUser } from '../platform-emulator.types';

const STYLE = `
  body { margin: 0; font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1d2125; background: #f8f9fa; }
  header { display: flex; align-items: center; justify-content: space-between; gap: 1rem; padding: .6rem 1.25rem;
    background: #fff; border-bottom: 1px solid #dee2e6; }
  header .brand { font-weight: 700; color: #f98012; text-decoration: none; }
  header .usermenu { font-size: .9rem; }
  main { max-width: 1100px; margin: 1.25rem auto; padding: 0 1rem; }
  h1 { font-size: 1.6rem; margin: .2rem 0 1rem; }
  .card { background: #fff; border: 1px solid #dee2e6; border-radius: .5rem; padding: 1rem 1.25rem; margin-bottom: 1rem; }
  .activity h3 { font-size: 1.1rem; margin: 0 0 .6rem; }
  .btn { display: inline-block; padding: .4rem .9rem; border-radius: .3rem; border: 1px solid #0f6cbf; background: #0f6cbf;
    color: #fff; text-decoration: none; cursor: pointer; font-size: .95rem; }
  .btn-secondary { background: #fff; color: #0f6cbf; }
  .error { color: #ca3120; }
  label { display: block; margin: .5rem 0 .2rem; }
  input[type=text], input[type=password] { padding: .4rem; width: 16rem; max-width: 100%; }
  iframe#contentframe { border: 0; display: block; }
`;

export function renderPage(title: string, body: string, user?: EmulatorUser, sesskey?: string): string {
  const userMenu = user
    ? `<span class="usermenu">You are logged in as <strong>${escapeHtml(fullName(user))}</strong>
        (<a href="/login/logout.php?sesskey=${escapeHtml(sesskey ?? '')}">Log out / switch user</a>)</span>`
    : '<span class="usermenu">You are not logged in. (<a href="/login/index.php">Log in</a>)</span>';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><a class="brand" href="/">${escapeHtml(SITE.fullName)}</a>${userMenu}</header>
<main>
${body}
</main>
</body>
</html>
`;
}

export function fullName(user: EmulatorUser): string {
  return `${user.firstname} ${user.lastname}`;
}

const ROLE_LABELS: Record<EmulatorUser['role'], string> = { admin: 'Admin', instructor: 'Instructor', learner: 'Learner' };

export function renderLoginPage(users: EmulatorUser[], wantsUrl: string, failed: boolean): string {
  const wants = `<input type="hidden" name="wantsurl" value="${escapeHtml(wantsUrl)}">`;
  const oneClick = users
    .map(
      (user) => `<form method="post" action="/login/index.php" style="display:inline-block;margin:.25rem .5rem .25rem 0">
  <input type="hidden" name="username" value="${escapeHtml(user.username)}">
  <input type="hidden" name="password" value="password">${wants}
  <button class="btn btn-secondary" type="submit">Log in as ${escapeHtml(ROLE_LABELS[user.role])} (${escapeHtml(fullName(user))})</button>
</form>`,
    )
    .join('\n');
  return renderPage(
    `${SITE.fullName}: Log in to the site`,
    `<h1>Log in to ${escapeHtml(SITE.fullName)}</h1>
<div class="card">
${failed ? '<p class="error" id="loginerrormessage">Invalid login, please try again</p>' : ''}
<form method="post" action="/login/index.php" id="login">
  ${wants}
  <label for="username">Username</label><input type="text" id="username" name="username" autocomplete="username">
  <label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password">
  <p><button class="btn" type="submit" id="loginbtn">Log in</button></p>
</form>
</div>
<div class="card">
<p>Demo accounts (password <code>password</code>):</p>
${oneClick}
</div>`,
  );
}

/** Moodle's iframe for an embedded external tool (mod/lti/view.php), pointed at launch.php or contentitem.php. */
export function renderContentFrame(src: string): string {
  return `<iframe id="contentframe" height="600px" width="100%" src="${escapeHtml(src)}" allow="microphone *; camera *; geolocation *; midi *; encrypted-media *; autoplay *" allowfullscreen="1"></iframe>
<script>
// Moodle's handler for a tool's resize request: { subject: 'lti.frameResize', height } where height
// is a number of pixels or a CSS length string; the message may also arrive as a JSON string.
window.addEventListener('message', function (event) {
  var frame = document.getElementById('contentframe');
  if (!frame || event.source !== frame.contentWindow) return;
  var message = event.data;
  if (typeof message === 'string') {
    try { message = JSON.parse(message); } catch (e) { return; }
  }
  if (!message || message.subject !== 'lti.frameResize') return;
  var height = message.height;
  if (typeof height === 'number' || /^\\d+(\\.\\d+)?$/.test(String(height))) {
    height = Math.max(1, Number(height)) + 'px';
  }
  frame.height = height;
  frame.style.height = height;
});
</script>`;
}

export interface CoursePageInput {
  course: EmulatorCourse;
  user: EmulatorUser;
  sesskey: string;
  activities: EmulatorActivity[];
  /** The activity or content selection shown in the frame. */
  frameSrc: string | null;
  frameTitle: string;
  canAddContent: boolean;
  deploymentId: string;
}

export function renderCoursePage(input: CoursePageInput): string {
  const { course } = input;
  const list = input.activities
    .map((activity) => {
      const href = `/course/view.php?id=${course.id}&cmid=${activity.cmid}`;
      return `<li><a href="${escapeHtml(href)}">${escapeHtml(activity.name)}</a>${activity.kind === 'deep-linking' ? ' (select content)' : ''}</li>`;
    })
    .join('\n');
  const addContent = input.canAddContent
    ? `<p><a class="btn btn-secondary" id="select-content" href="/course/view.php?id=${course.id}&amp;selectcontent=${escapeHtml(input.deploymentId)}">Add an activity (select content)</a></p>`
    : '';
  const frame = input.frameSrc
    ? `<section class="card activity"><h3>${escapeHtml(input.frameTitle)}</h3>${renderContentFrame(input.frameSrc)}</section>`
    : '<p>No external tool activity yet.</p>';
  return renderPage(
    `Course: ${course.fullname}`,
    `<h1>${escapeHtml(course.fullname)}</h1>
<nav class="card"><strong>Activities</strong><ul id="activities">
${list}
</ul>${addContent}</nav>
${frame}`,
    input.user,
    input.sesskey,
  );
}

export function renderErrorPage(message: string, detail?: string): string {
  return renderPage(
    `${SITE.fullName}: Error`,
    `<div class="card"><h1 class="error">Error</h1><p id="error-message">${escapeHtml(message)}</p>${detail ? `<p><code>${escapeHtml(detail)}</code></p>` : ''}</div>`,
  );
}

export function renderContentAddedPage(course: EmulatorCourse, added: EmulatorActivity[]): string {
  const items = added.map((activity) => `<li>${escapeHtml(activity.name)}</li>`).join('\n');
  return renderPage(
    `${SITE.fullName}: Content added`,
    `<div class="card"><h1>Added ${added.length} ${added.length === 1 ? 'activity' : 'activities'} to ${escapeHtml(course.fullname)}</h1>
<ul id="added-activities">
${items}
</ul>
<p><a class="btn" target="_top" href="/course/view.php?id=${course.id}">Back to the course</a></p></div>`,
  );
}
