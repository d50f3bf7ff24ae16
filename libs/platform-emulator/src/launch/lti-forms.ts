/** PHP's htmlspecialchars() with its PHP 8.1+ defaults (ENT_QUOTES): what Moodle escapes form values with. */
export function htmlspecialchars(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#039;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function autoSubmitScript(formName: string): string {
  return `<script type="text/javascript">\n//<![CDATA[\ndocument.${formName}.submit();\n//]]>\n</script>\n`;
}

function hiddenInputs(fields: Array<[string, string]>): string {
  return fields
    .map(([name, value]) => `  <input type="hidden" name="${htmlspecialchars(name)}" value="${htmlspecialchars(value)}"/>\n`)
    .join('');
}

export interface LoginInitiationFields {
  iss: string;
  target_link_uri: string;
  login_hint: string;
  lti_message_hint: string;
  client_id: string;
  lti_deployment_id: string;
}

/**
 * The whole body of Moodle's launch.php for an LTI 1.3 tool (fixtures/moodle-login-initiation-form.html):
 * a form that posts the OIDC third-party login initiation to the tool. Note Moodle's `encType` spelling.
 */
export function renderLoginInitiationForm(loginUrl: string, fields: LoginInitiationFields): string {
  const ordered: Array<[string, string]> = [
    ['iss', fields.iss],
    ['target_link_uri', fields.target_link_uri],
    ['login_hint', fields.login_hint],
    ['lti_message_hint', fields.lti_message_hint],
    ['client_id', fields.client_id],
    ['lti_deployment_id', fields.lti_deployment_id],
  ];
  return (
    `<form action="${htmlspecialchars(loginUrl)}" name="ltiInitiateLoginForm" id="ltiInitiateLoginForm" method="post" encType="application/x-www-form-urlencoded">\n` +
    hiddenInputs(ordered) +
    '</form>\n' +
    autoSubmitScript('ltiInitiateLoginForm')
  );
}

/**
 * The whole body of Moodle's auth.php answer (fixtures/moodle-auth-form-post.html): a form that posts
 * `id_token` (or `error` + `error_description`) and then `state` to the redirect URI.
 */
export function renderAuthForm(redirectUri: string, fields: Array<[string, string]>): string {
  return (
    `<form action="${htmlspecialchars(redirectUri)}" name="ltiAuthForm" id="ltiAuthForm" method="post" enctype="application/x-www-form-urlencoded">\n` +
    hiddenInputs(fields) +
    '</form>\n' +
    autoSubmitScript('ltiAuthForm')
  );
}
