import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ORDERS_PAGE_MAX, OrderStatuses, type OrderStatusValue } from '@app/contracts';

/** The query of `GET /orders`: query values arrive as strings, so `limit` is converted explicitly. */
export class ListOrdersQuery {
  @IsOptional()
  @IsIn(OrderStatuses)
  status?: OrderStatusValue;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(ORDERS_PAGE_MAX)
  limit?: number;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}
