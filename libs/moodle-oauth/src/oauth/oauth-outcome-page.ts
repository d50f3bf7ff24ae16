import escapeHtml from 'escape-html';

/** What the popup tells the SPA that opened it (apps/web: OauthOutcomeMessage). */
export type OauthOutcome = { type: 'ferry:moodle-oauth'; ok: true } | { type: 'ferry:moodle-oauth'; ok: false; error: { code: string; message: string } };

/** The outcome page's CSP: its one inline script by nonce, nothing else loads, nobody frames it. */
export function oauthOutcomePageCsp(nonce: string): string {
  return ["default-src 'none'", `script-src 'nonce-${nonce}'`, "style-src 'unsafe-inline'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"].join('; ');
}

// JSON inside <script> must not be able to close the element or open a comment.
const scriptSafeJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

/**
 * The page the OAuth popup ends on: it posts the outcome to the SPA that opened it (only to Ferry's
 * own origin) and closes. Opened as a new tab instead, it has no opener; it says so, and the SPA
 * notices the new connection on its own.
 */
export function renderOauthOutcomePage(outcome: OauthOutcome, spaOrigin: string, nonce: string): string {
  const title = outcome.ok ? 'Connected to Moodle' : 'Ferry could not connect to Moodle';
  const body = outcome.ok
    ? 'Ferry is connected to your Moodle account. You can close this window and go back to Moodle.'
    : `${outcome.error.message} (${outcome.error.code}). Close this window and try again from Ferry in Moodle.`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:32rem;padding:0 1rem;color:#1d2125}h1{font-size:1.25rem}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(body)}</p>
</main>
<script nonce="${nonce}" id="outcome" type="application/json">${scriptSafeJson({ outcome, spaOrigin })}</script>
<script nonce="${nonce}">
(function () {
  var data = JSON.parse(document.getElementById('outcome').textContent);
  if (window.opener && !window.opener.closed) {
    window.opener.postMessage(data.outcome, data.spaOrigin);
    window.close();
  }
})();
</script>
</body>
</html>`;
}
