import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Matches, ValidateNested } from 'class-validator';
import { CURRENCY_PATTERN, ORDER_ITEMS_MAX } from '@app/contracts';
import { OrderItemDto } from './order-item.dto.js';

/** The body of `POST /orders`. The owner comes from the token, never from here. */
export class PlaceOrderDto {
  /** @example EUR */
  @IsString()
  @Matches(CURRENCY_PATTERN, { message: 'currency must be an ISO 4217 code in upper case, such as EUR' })
  currency!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ORDER_ITEMS_MAX)
  @ValidateNested({ each: true })
  @Type(() => OrderItemDto)
  items!: OrderItemDto[];
}
