export const OrderStatuses = ['PENDING', 'CONFIRMED', 'REJECTED', 'CANCELLED'] as const;

export type OrderStatus = (typeof OrderStatuses)[number];
