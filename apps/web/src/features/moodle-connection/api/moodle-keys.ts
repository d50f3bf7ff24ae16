export const moodleKeys = {
  all: ['moodle'] as const,
  connection: () => [...moodleKeys.all, 'connection'] as const,
  settings: () => [...moodleKeys.all, 'settings'] as const,
};
