import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { ORDER_ITEM_QUANTITY_MAX, ORDER_ITEM_UNIT_PRICE_CENTS_MAX, SKU_PATTERN, SKU_RULE } from '@app/contracts';

/** One order line as the client sends it; numbers must be JSON numbers, never strings. */
export class OrderItemDto {
  /** @example BOOK-42 */
  @IsString()
  @Matches(SKU_PATTERN, { message: `sku ${SKU_RULE}` })
  sku!: string;

  /** @example 2 */
  @IsInt()
  @Min(1)
  @Max(ORDER_ITEM_QUANTITY_MAX)
  quantity!: number;

  /** @example 1999 */
  @IsInt()
  @Min(1)
  @Max(ORDER_ITEM_UNIT_PRICE_CENTS_MAX)
  unitPriceCents!: number;
}
