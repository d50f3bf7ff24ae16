import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';
import { clearSessionToken } from '@/lib/session-token';

// Tell React that tests drive it through act(), as Testing Library does.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

// findBy…/waitFor wait up to 1 s by default; the full suite shares two cores with the database,
// Azurite and browser tests, where a few chained fetches and renders can take longer than that.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
  clearSessionToken();
  window.sessionStorage.clear();
  window.history.replaceState(null, '', '/');
  document.documentElement.lang = '';
});
