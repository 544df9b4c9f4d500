export interface HealthOptions {
  /**
   * `shown`: a failing readiness says why (a service's own port, reached only from inside the
   * cluster). `logged`: it says only which check failed, and the reasons go to the log (a public
   * port: the gateway, the monolith, whose management port shows them, see ManagementServer).
   */
  reasons: 'shown' | 'logged';
}

export const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');
