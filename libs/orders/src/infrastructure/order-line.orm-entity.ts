import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrderOrmEntity } from './order.orm-entity.js';

/** The `order_lines` table: an order's lines, reachable only through the order. */
@Entity('order_lines')
export class OrderLineOrmEntity {
  @PrimaryColumn('uuid', { name: 'order_id' })
  orderId!: string;

  @PrimaryColumn('integer', { name: 'line_no' })
  lineNo!: number;

  @ManyToOne(() => OrderOrmEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'order_id', foreignKeyConstraintName: 'order_lines_order_fk' })
  order?: OrderOrmEntity;

  @Column('text')
  sku!: string;

  @Column('integer')
  quantity!: number;

  @Column('bigint', { name: 'unit_price_cents' })
  unitPriceCents!: string;
}
