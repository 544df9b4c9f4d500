/** Who asks. The gateway fills it from the verified token; services authorise against it. */
export interface Actor {
  id: string;
  role: Role;
}

export const Roles = ['user', 'admin'] as const;
export type Role = (typeof Roles)[number];
