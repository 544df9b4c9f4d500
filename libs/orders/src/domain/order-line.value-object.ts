import { ValidationFailedError } from '@app/ddd';

const SKU = /^[A-Za-z0-9._-]{1,64}$/;
const MAX_QUANTITY = 10_000;
const MAX_UNIT_PRICE_CENTS = 100_000_000;

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

  /** `index`, when given, names fields by their place in the request (`items[2].quantity`). */
  static create(raw: unknown, index?: number): OrderLine {
    const prefix = index === undefined ? '' : `items[${index}].`;
    const path = (field: string): string => `${prefix}${field}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw invalid([{ field: index === undefined ? 'item' : `items[${index}]`, message: 'must be an object' }]);
    }
    const { sku, quantity, unitPriceCents } = raw as Record<string, unknown>;
    const errors: FieldError[] = [];
    if (typeof sku !== 'string' || !SKU.test(sku)) {
      errors.push({ field: path('sku'), message: 'must be 1 to 64 characters of A-Z, a-z, 0-9, ".", "_" or "-"' });
    }
    if (!isIntegerIn(quantity, 1, MAX_QUANTITY)) {
      errors.push({ field: path('quantity'), message: `must be a whole number from 1 to ${MAX_QUANTITY}` });
    }
    if (!isIntegerIn(unitPriceCents, 1, MAX_UNIT_PRICE_CENTS)) {
      errors.push({
        field: path('unitPriceCents'),
        message: `must be a whole number of cents from 1 to ${MAX_UNIT_PRICE_CENTS}`,
      });
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
