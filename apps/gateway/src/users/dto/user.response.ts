import type { Role, UserListResponse, UserResponse } from '@app/contracts';

export class UserView implements UserResponse {
  /** @example 2e40b518-f03e-4c0a-92bb-d8654068a825 */
  id!: string;
  /**
   * Lower case.
   * @example ada@example.com
   */
  email!: string;
  /** @example "Ada Lovelace" */
  name!: string;
  /** @example user */
  role!: Role;
  /**
   * Credit limit, in cents.
   * @example 100000
   */
  creditLimitCents!: number;
  /**
   * Credit reserved by CONFIRMED orders, in cents.
   * @example 3998
   */
  creditReservedCents!: number;
  /** @example 2026-12-04T09:10:02.310Z */
  createdAt!: string;
  /** @example 2026-12-04T09:10:02.310Z */
  updatedAt!: string;
}

export class UserPage implements UserListResponse {
  items!: UserView[];
  /**
   * Pass as `cursor` for the next page; null on the last one.
   * @example MjAyNi0xMi0wNFQwOToxMjo0NC4xMjBafDZmOWMxZTUyLTNjMWQtNGY3YS05YTBlLThkMmI1ZTRjN2ExMA
   */
  nextCursor!: string | null;
}
