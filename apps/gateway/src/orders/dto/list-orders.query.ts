import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import {
  CURSOR_MAX_LENGTH,
  OrderStatuses,
  PAGE_LIMIT_MAX,
  PAGE_LIMIT_MIN,
  type OrderStatusValue,
} from '@app/contracts';

/** The query of `GET /orders`: query values arrive as strings, so `limit` is converted explicitly. */
export class ListOrdersQuery {
  /** @example CONFIRMED */
  @IsOptional()
  @IsIn(OrderStatuses)
  status?: OrderStatusValue;

  /** @example 20 */
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
