/**
 * Takes the one-time launch code out of `/app/launch#code=…` (or `/app/deep-link#code=…`) and
 * removes the fragment from the address bar at once, so the code is not left in the history or
 * shown to anyone reading the URL. Returns null when there is no code (a reload, say).
 */
export function takeLaunchCode(): string | null {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const code = fragment.get('code');
  if (!code) return null;
  const { pathname, search } = window.location;
  window.history.replaceState(window.history.state, '', pathname + search);
  return code;
}
