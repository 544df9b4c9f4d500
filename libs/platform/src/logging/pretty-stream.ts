import pretty, { type PrettyOptions } from 'pino-pretty';
import { PRETTY_IGNORED_FIELDS, prettyMessage } from './pretty-line.js';

/**
 * The stream behind LOG_PRETTY=true: pino-pretty with one line per entry. pino-pretty is a dev
 * dependency: only this file loads it, and only when pretty logs are asked for.
 */
export default function prettyStream(options: PrettyOptions = {}) {
  return pretty({
    ...options,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: PRETTY_IGNORED_FIELDS,
    messageFormat: prettyMessage,
  });
}
