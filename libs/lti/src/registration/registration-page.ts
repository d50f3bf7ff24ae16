import escapeHtml from 'escape-html';
import type { CompletedRegistration } from './dynamic-registration.service';

/**
 * The Content-Security-Policy of the registration page. Moodle shows it in a modal iframe before
 * the platform is registered, so the usual frame-ancestors list (registered platforms) cannot
 * apply: the platform that started the registration may frame it.
 */
export function registrationPageCsp(nonce: string, platformOrigin: string | null): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    "style-src 'unsafe-inline'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors 'self'${platformOrigin ? ` ${platformOrigin}` : ''}`,
  ].join('; ');
}

/**
 * Tells an LTI Dynamic Registration result to the admin and, on "Done", tells the platform to
 * close its registration window (`org.imsglobal.lti.close`, posted to the opener or parent).
 */
export function renderRegistrationPage(registration: CompletedRegistration, nonce: string): string {
  const { platform, deploymentId, awaitingApproval, newPlatform } = registration;
  const outcome = newPlatform
    ? `Ferry is now registered with ${platform.name}.`
    : `Ferry was already registered with ${platform.name}; deployment ${deploymentId} was added.`;
  const next = awaitingApproval
    ? 'A Ferry operator must activate this registration before the tool can launch. Give them the issuer and client id below.'
    : 'You can now add Ferry to a course. Set its "Default launch container" to Embed.';
  const platformOrigin = new URL(platform.issuer).origin;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ferry registration</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:1.5rem;color:#1d2125;background:#fff;line-height:1.5}
main{max-width:40rem}h1{font-size:1.25rem;margin:0 0 .75rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0;word-break:break-all}
button{font:inherit;padding:.5rem 1rem;border-radius:.25rem;border:1px solid #0f6cbf;background:#0f6cbf;color:#fff;cursor:pointer}
</style>
</head>
<body>
<main>
<h1>${escapeHtml(outcome)}</h1>
<p>${escapeHtml(next)}</p>
<dl>
<dt>Issuer</dt><dd>${escapeHtml(platform.issuer)}</dd>
<dt>Client id</dt><dd>${escapeHtml(platform.clientId)}</dd>
<dt>Deployment id</dt><dd>${escapeHtml(deploymentId)}</dd>
<dt>Status</dt><dd>${awaitingApproval ? 'waiting for an operator' : 'active'}</dd>
</dl>
<p><button type="button" id="done">Done</button></p>
</main>
<script nonce="${nonce}">
document.getElementById('done').addEventListener('click', function () {
  (window.opener || window.parent).postMessage({ subject: 'org.imsglobal.lti.close' }, ${JSON.stringify(platformOrigin)});
});
</script>
</body>
</html>`;
}
