import type { LogLevel as NestLogLevel } from '@nestjs/common';
import type { LogLevel } from './ferry-config';

const LEVELS: NestLogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Nest's logger takes the list of enabled levels; LOG_LEVEL names the most verbose one. */
export function nestLogLevels(level: LogLevel): NestLogLevel[] {
  return LEVELS.slice(0, LEVELS.indexOf(level) + 1);
}
