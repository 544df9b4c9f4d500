/** One dependency that must be fine before the app takes traffic. Throws when it is not. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');
