import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CURSOR_MAX_LENGTH, PAGE_LIMIT_MAX, PAGE_LIMIT_MIN } from '@app/contracts';

export class ListUsersQuery {
  /** @example 50 */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(PAGE_LIMIT_MIN)
  @Max(PAGE_LIMIT_MAX)
  limit?: number;

  /** @example MjAyNi0xMi0wNFQwOToxMjo0NC4xMjBafDZmOWMxZTUyLTNjMWQtNGY3YS05YTBlLThkMmI1ZTRjN2ExMA */
  @IsOptional()
  @IsString()
  @MaxLength(CURSOR_MAX_LENGTH)
  cursor?: string;
}
