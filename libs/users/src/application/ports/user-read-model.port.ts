import type { UserListResponse, UserResponse } from '@app/contracts';

/** The query side: users as the API shows them, read without loading aggregates. */
export abstract class UserReadModel {
  abstract findById(id: string): Promise<UserResponse | null>;
  /** Users by keyset (created_at, id); throws ValidationFailedError for a bad cursor. */
  abstract list(limit: number, cursor?: string): Promise<UserListResponse>;
}
