/**
 * The settings a running app takes from the live configuration file, by app. Everything else
 * (ports, databases, the broker, keys, pool sizes) is read once at start and needs a restart.
 * One file serves every app (one ConfigMap): an app applies its own keys and leaves another
 * app's alone, and a key no app takes live refuses the whole file.
 */
export const LIVE_SETTINGS = {
  gateway: [
    'LOG_LEVEL',
    'RATE_LIMIT_ENABLED',
    'RATE_LIMIT_IP_PER_MINUTE',
    'RATE_LIMIT_USER_PER_MINUTE',
    'RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE',
    'RATE_LIMIT_LOGIN_PER_ACCOUNT_PER_MINUTE',
    'RATE_LIMIT_REGISTER_PER_IP_PER_MINUTE',
    'RATE_LIMIT_ORDERS_PER_USER_PER_MINUTE',
    'CIRCUIT_FAILURE_THRESHOLD',
    'CIRCUIT_COOLDOWN_MS',
    'RPC_TIMEOUT_MS',
    'FEATURE_REGISTRATION_ENABLED',
    'FEATURE_ORDER_PLACEMENT_ENABLED',
  ],
  users: ['LOG_LEVEL'],
  orders: ['LOG_LEVEL'],
  payments: ['LOG_LEVEL'],
} as const satisfies Record<string, readonly string[]>;

/** An app that reads the live configuration; names its metrics series and log lines. */
export type LiveApp = keyof typeof LIVE_SETTINGS;

/** Every key some app takes live. */
export const ALL_LIVE_SETTINGS: ReadonlySet<string> = new Set(Object.values(LIVE_SETTINGS).flat());

/** The file's own field naming its version; not a setting. */
export const VERSION_FIELD = 'version';
