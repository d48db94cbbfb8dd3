// The catalogue of non-tax items. Items go live one by one ("成熟一项、接入一项、上线一项").
import { AppError } from '@platform/contracts';
import type { Database } from '../../db.ts';
import type { ItemStatus } from '../../generated/prisma/client.ts';
import { ItemRepository, type ItemRecord, type NewItem } from '../../repositories/items.ts';
import { UnitRepository } from '../../repositories/units.ts';
import { isUniqueViolation } from '@platform/db';
import { TtlCache } from '../ttl-cache.ts';

/** Notices read their items on every create; a status change elsewhere is seen within this. */
const ITEM_TTL_MS = 2_000;

/** The one status each status may move to by request (the database enforces the same graph). */
const NEXT: Record<ItemStatus, ItemStatus[]> = {
  draft: ['sandbox_tested'],
  sandbox_tested: ['live'],
  live: ['suspended'],
  suspended: ['live'],
};

export class ItemCatalogue {
  private readonly items: ItemRepository;
  private readonly units: UnitRepository;
  private readonly cache = new TtlCache<string, ItemRecord>(ITEM_TTL_MS);
  constructor(db: Database) {
    this.items = new ItemRepository(db);
    this.units = new UnitRepository(db);
  }

  async create(item: NewItem): Promise<ItemRecord> {
    if (!(await this.units.find(item.unitCode)))
      throw new AppError('COLLECTING_UNIT_NOT_FOUND', 'Register the collecting unit first');
    try {
      return await this.items.create(item);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError('PAYMENT_ITEM_ALREADY_EXISTS', `Item ${item.code} already exists`);
      throw error;
    }
  }

  async get(code: string): Promise<ItemRecord> {
    const item = await this.items.find(code);
    if (!item) throw new AppError('PAYMENT_ITEM_NOT_FOUND', `No item ${code}`);
    return item;
  }

  /** Items by code for notice creation, from the short-lived cache (unknown codes are left out). */
  async findMany(codes: string[]): Promise<ItemRecord[]> {
    const found = await Promise.all(codes.map((code) => this.cache.get(code, () => this.items.find(code))));
    return found.filter((item): item is ItemRecord => item !== null);
  }

  list(unitCode?: string): Promise<ItemRecord[]> {
    return this.items.list(unitCode);
  }

  async transition(code: string, to: ItemStatus): Promise<ItemRecord> {
    const item = await this.get(code);
    if (!NEXT[item.status].includes(to))
      throw new AppError('PAYMENT_ITEM_TRANSITION_NOT_ALLOWED', `Item ${code} cannot go from ${item.status} to ${to}`);
    const moved = await this.items.transition(code, item.status, to);
    this.cache.delete(code);
    // Someone else moved it in between: report the conflict rather than guess.
    if (!moved) throw new AppError('PAYMENT_ITEM_TRANSITION_NOT_ALLOWED', `Item ${code} changed meanwhile; retry`);
    return moved;
  }
}
