import type { SessionView } from '@/types/api';

/** What to call the launch's course: its title, else its short label; null outside a course. */
export function courseName(context: SessionView['context']): string | null {
  return context?.title || context?.label || null;
}
