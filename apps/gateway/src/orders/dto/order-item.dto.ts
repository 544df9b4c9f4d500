import { IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';

/** One order line as the client sends it; numbers must be JSON numbers, never strings. */
export class OrderItemDto {
  /** @example BOOK-42 */
  @IsString()
  @Length(1, 64)
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'sku may contain only letters, digits, ".", "_" and "-"' })
  sku!: string;

  /** @example 2 */
  @IsInt()
  @Min(1)
  @Max(10_000)
  quantity!: number;

  /** @example 1999 */
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  unitPriceCents!: number;
}
