import escapeHtml from 'escape-html';

export interface ErrorPageContent {
  status: number;
  code: string;
  message: string;
  hint?: string;
  errorId?: string;
}

/**
 * A self-contained page a person can read inside the Moodle iframe: no scripts, no external assets.
 */
export function renderErrorPage({ status, code, message, hint, errorId }: ErrorPageContent): string {
  const hintBlock = hint ? `<p class="hint"><strong>What to check:</strong> ${escapeHtml(hint)}</p>` : '';
  const idBlock = errorId ? `<p class="meta">Error id: <code>${escapeHtml(errorId)}</code></p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ferry could not continue</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:1.5rem;color:#1d2125;background:#fff;line-height:1.5}
main{max-width:40rem}
h1{font-size:1.25rem;margin:0 0 .75rem}
.code{display:inline-block;font-family:ui-monospace,monospace;background:#f1f3f5;border-radius:.25rem;padding:.1rem .4rem}
.hint{border-left:4px solid #0f6cbf;padding:.5rem .75rem;background:#f5f9fd}
.meta{color:#5b6670;font-size:.875rem}
</style>
</head>
<body>
<main role="alert">
<h1>Ferry could not continue</h1>
<p>${escapeHtml(message)}</p>
<p class="meta">Code: <span class="code">${escapeHtml(code)}</span> · HTTP ${status}</p>
${hintBlock}
${idBlock}
</main>
</body>
</html>`;
}
