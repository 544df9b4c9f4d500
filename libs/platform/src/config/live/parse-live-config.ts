import { createHash } from 'node:crypto';
import { ALL_LIVE_SETTINGS, VERSION_FIELD } from './live-settings.js';

/** The file could not be taken: its reasons, one phrase each. */
export class LiveConfigRefusedError extends Error {
  constructor(readonly reasons: string[]) {
    super(reasons.join('; '));
    this.name = LiveConfigRefusedError.name;
  }
}

/** What a live configuration file says, before any app's rules are applied. */
export interface LiveConfigFile {
  /** The file's `version` field, else the first 12 hex digits of its content's SHA-256. */
  version: string;
  /** Every setting it holds, by name, as written (numbers, booleans or strings). */
  settings: Record<string, unknown>;
}

const VERSION_PATTERN = /^[\w.:+-]{1,64}$/;

/**
 * Reads the text of a live configuration file: one JSON object of settings (the whitelist of
 * live-settings.ts) and an optional `version`. Any other key refuses the whole file: it is a
 * typo, or a setting read only at start, which the file must not appear to change.
 */
export function parseLiveConfig(text: string): LiveConfigFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new LiveConfigRefusedError([`not valid JSON: ${(error as Error).message}`]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new LiveConfigRefusedError(['not a JSON object of settings']);
  }
  const reasons: string[] = [];
  const settings: Record<string, unknown> = {};
  let version: string | undefined;
  for (const [key, value] of Object.entries(parsed)) {
    if (key === VERSION_FIELD) {
      if (typeof value === 'string' && VERSION_PATTERN.test(value)) version = value;
      else reasons.push(`${VERSION_FIELD}: must be 1-64 characters of letters, digits and "._:+-"`);
    } else if (!ALL_LIVE_SETTINGS.has(key)) {
      reasons.push(`${key}: not a live setting (it needs a restart, or is misspelt)`);
    } else if (value === null || typeof value === 'object') {
      reasons.push(`${key}: must be a number, a boolean or a string`);
    } else {
      settings[key] = value;
    }
  }
  if (reasons.length > 0) throw new LiveConfigRefusedError(reasons);
  return { version: version ?? contentHash(text), settings };
}

function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
