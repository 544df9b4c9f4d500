import {
  ORDER_ITEM_QUANTITY_MAX,
  ORDER_ITEM_UNIT_PRICE_CENTS_MAX,
  QUANTITY_RULE,
  SKU_PATTERN,
  SKU_RULE,
  UNIT_PRICE_RULE,
} from '@app/contracts';
import { ValidationFailedError } from '@app/ddd';

export interface OrderLinePrimitives {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

interface FieldError {
  field: string;
  message: string;
}

/**
 * One product line of an order: a SKU, a whole quantity and a whole unit price in cents.
 * The bounds keep `lineTotalCents` (at most 1e12) and any order total exact.
 */
export class OrderLine {
  private constructor(
    readonly sku: string,
    readonly quantity: number,
    readonly unitPriceCents: number,
  ) {}

  /** `index`, when given, names fields by their place in the request (`items.2.quantity`), as every edge does. */
  static create(raw: unknown, index?: number): OrderLine {
    const prefix = index === undefined ? '' : `items.${index}.`;
    const path = (field: string): string => `${prefix}${field}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw invalid([{ field: index === undefined ? 'item' : `items.${index}`, message: 'must be an object' }]);
    }
    const { sku, quantity, unitPriceCents } = raw as Record<string, unknown>;
    const errors: FieldError[] = [];
    if (typeof sku !== 'string' || !SKU_PATTERN.test(sku)) errors.push({ field: path('sku'), message: SKU_RULE });
    if (!isIntegerIn(quantity, 1, ORDER_ITEM_QUANTITY_MAX)) {
      errors.push({ field: path('quantity'), message: QUANTITY_RULE });
    }
    if (!isIntegerIn(unitPriceCents, 1, ORDER_ITEM_UNIT_PRICE_CENTS_MAX)) {
      errors.push({ field: path('unitPriceCents'), message: UNIT_PRICE_RULE });
    }
    if (errors.length > 0) throw invalid(errors);
    return new OrderLine(sku as string, quantity as number, unitPriceCents as number);
  }

  get lineTotalCents(): number {
    return this.quantity * this.unitPriceCents;
  }

  toPrimitives(): OrderLinePrimitives {
    return { sku: this.sku, quantity: this.quantity, unitPriceCents: this.unitPriceCents };
  }
}

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function invalid(fields: FieldError[]): ValidationFailedError {
  const message = fields.map(({ field, message }) => `${field} ${message}`).join('; ');
  return new ValidationFailedError(message, { fields });
}
