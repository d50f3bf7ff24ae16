export { MOODLE_SESSIONS } from '@ferry/moodle-ws';
export type {
  MoodleSession as TransferMoodleSession,
  MoodleSessionSource,
  MoodleTokenOwner as TransferTokenOwner,
} from '@ferry/moodle-ws';
