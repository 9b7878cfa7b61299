// Promises kept for a short while: concurrent and repeated asks within the time share one
// load. A load that fails, or whose value `keep` declines, is forgotten at once.

export class TtlCache<K, V> {
  private readonly entries = new Map<K, { at: number; value: Promise<V> }>();
  private sweptAt = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly keep: (value: V) => boolean = () => true,
  ) {}

  get(key: K, load: () => Promise<V>): Promise<V> {
    const now = Date.now();
    const cached = this.entries.get(key);
    if (cached && now - cached.at < this.ttlMs) return cached.value;
    this.sweep(now);
    const entry = { at: now, value: load() };
    this.entries.set(key, entry);
    const forget = () => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    };
    entry.value.then((value) => this.keep(value) || forget(), forget);
    return entry.value;
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  /** Drops expired entries, at most once per lifetime, so keys asked for once do not pile up. */
  private sweep(now: number): void {
    if (now - this.sweptAt < this.ttlMs) return;
    this.sweptAt = now;
    for (const [key, entry] of this.entries) if (now - entry.at >= this.ttlMs) this.entries.delete(key);
  }
}
