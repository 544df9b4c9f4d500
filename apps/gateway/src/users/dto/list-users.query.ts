import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { USERS_PAGE_MAX } from '@app/contracts';

export class ListUsersQuery {
  /** @example 50 */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(USERS_PAGE_MAX)
  limit?: number;

  /** @example MjAyNi0xMi0wNFQwOToxMjo0NC4xMjBafDZmOWMxZTUyLTNjMWQtNGY3YS05YTBlLThkMmI1ZTRjN2ExMA */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}
