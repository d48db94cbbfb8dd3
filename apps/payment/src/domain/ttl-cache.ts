// A small read-through cache with a short time to live, for rows the hot paths read on every
// request but that change rarely (units, items). Changes made by this process invalidate their
// entry at once; another replica's changes are seen within the TTL. Concurrent misses share one
// load, and failed or empty loads are not cached (a unit registered a moment ago is found).
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { value: Promise<V | null>; until: number }>();
  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: K, load: () => Promise<V | null>): Promise<V | null> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.value;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const value = load().then(
      (loaded) => {
        if (loaded === null) this.entries.delete(key);
        return loaded;
      },
      (error: unknown) => {
        this.entries.delete(key);
        throw error;
      },
    );
    this.entries.set(key, { value, until: now + this.ttlMs });
    return value;
  }

  delete(key: K): void {
    this.entries.delete(key);
  }
}
