import type { Role, UserListResponse, UserResponse } from '@app/contracts';

export class UserView implements UserResponse {
  /** @example 2e40b518-f03e-4c0a-92bb-d8654068a825 */
  id!: string;
  /** Lower case. */
  email!: string;
  name!: string;
  role!: Role;
  /** Credit limit, in cents. */
  creditLimitCents!: number;
  /** Credit reserved by CONFIRMED orders, in cents. */
  creditReservedCents!: number;
  createdAt!: string;
  updatedAt!: string;
}

export class UserPage implements UserListResponse {
  items!: UserView[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor!: string | null;
}
