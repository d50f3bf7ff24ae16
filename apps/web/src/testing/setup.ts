import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { clearSessionToken } from '@/lib/session-token';

// Tell React that tests drive it through act(), as Testing Library does.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

afterEach(() => {
  cleanup();
  clearSessionToken();
  window.sessionStorage.clear();
  window.history.replaceState(null, '', '/');
  document.documentElement.lang = '';
});
