/** One dependency that must be fine before the app takes traffic. Throws when it is not. */
export interface ReadinessCheck {
  name: string;
  /** Throws when not ready; may return details shown in the readiness answer. */
  check: () => Promise<Record<string, unknown> | void>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');
