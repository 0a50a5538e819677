interface Slot<Entry> {
  /** The whole token: a hit must match it exactly. */
  readonly token: string;
  readonly entry: Entry;
  /** Set on every hit, cleared when the slot gets its second chance. */
  used: boolean;
}

/**
 * Characters at the end of a token (inside its signature) that key the map.
 * A Map hashes a string key character by character, which for a whole
 * 800-character token costs about a microsecond; a short suffix keeps it
 * constant. 16 base64url characters are 96 bits of signature, so honest
 * tokens do not share one; a forged token that copies a cached suffix fails
 * the exact comparison and is verified like any other.
 */
const KEY_LENGTH = 16;

/**
 * Bits of the admission filter (128 KiB) and how many first sightings it
 * records before it starts over: at most 1/16 of the bits are set, so at most
 * that share of single-use tokens is admitted by chance.
 */
const SEEN_BITS = 1 << 20;
const SEEN_RESET = SEEN_BITS >>> 4;

/** base64url character -> its 6 bits (RFC 4648 §5); other characters map to 0. */
const SEXTETS = new Uint8Array(128);
for (const [index, char] of [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"].entries()) SEXTETS[char.charCodeAt(0)] = index;

/** 20 signature bits from four base64url characters just before the end of the token (the very last may hold padding bits). */
function sightingBit(token: string): number {
  const at = token.length - 2;
  const sextet = (offset: number) => SEXTETS[token.charCodeAt(at - offset) & 127] ?? 0;
  return ((sextet(0) << 18) | (sextet(1) << 12) | (sextet(2) << 6) | sextet(3)) & (SEEN_BITS - 1);
}

/**
 * Bounded map of already-verified tokens; a hit requires the exact token
 * string (no digest is computed). A token is admitted the second time it is
 * verified (TinyLFU's "doorkeeper": one bit per first sighting), so tokens
 * presented once, or a flood of distinct valid tokens, cost no cache entry
 * (keeping a first-seen verification as cheap as a bare signature check,
 * since retained entries are what the garbage collector pays for); a bit
 * shared by chance only admits a token one sighting early. Eviction is second-chance (CLOCK), an
 * approximation of least-recently-used: a hit only sets a flag; when the map
 * is full a hand sweeps from the oldest entry, clearing flags, and drops the
 * first entry not hit since the hand last passed it. A true LRU would delete
 * and re-insert on every hit, and V8 keeps deleted Map entries in its hash
 * chains and iteration order until the table is rebuilt, so a hot token (or a
 * restarted sweep) gets slower with every deletion. Size 0 turns the cache off.
 */
export class TokenCache<Entry> {
  private readonly slots = new Map<string, Slot<Entry>>();
  private hand: MapIterator<[string, Slot<Entry>]> | undefined;
  private readonly seen = new Uint32Array(SEEN_BITS >>> 5);
  private sightings = 0;

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.slots.size;
  }

  get(token: string): Entry | undefined {
    const slot = this.slots.get(token.slice(-KEY_LENGTH));
    if (slot?.token !== token) return undefined;
    slot.used = true;
    return slot.entry;
  }

  /** True when `token` was offered before (since the filter last started over); records it otherwise. */
  admits(token: string): boolean {
    if (this.maxEntries <= 0) return false;
    const bit = sightingBit(token);
    const mask = 1 << (bit & 31);
    const word = bit >>> 5;
    if ((this.seen[word] ?? 0) & mask) return true;
    this.seen[word] = (this.seen[word] ?? 0) | mask;
    if (++this.sightings >= SEEN_RESET) {
      this.seen.fill(0);
      this.sightings = 0;
    }
    return false;
  }

  /** Stores an entry unconditionally (see `admits` for the admission policy). */
  set(token: string, entry: Entry): void {
    if (this.maxEntries <= 0) return;
    const key = token.slice(-KEY_LENGTH);
    this.slots.delete(key);
    this.slots.set(key, { token, entry, used: false });
    while (this.slots.size > this.maxEntries) this.evictOne();
  }

  delete(token: string): void {
    const key = token.slice(-KEY_LENGTH);
    if (this.slots.get(key)?.token === token) this.slots.delete(key);
  }

  /** Drops every entry matching `drop` (a removed signing key); O(size), only on key changes. */
  deleteWhere(drop: (entry: Entry) => boolean): void {
    for (const [key, slot] of this.slots) if (drop(slot.entry)) this.slots.delete(key);
  }

  /** The CLOCK hand: a live Map iterator, so each eviction resumes where the last stopped. */
  private evictOne(): void {
    for (;;) {
      this.hand ??= this.slots.entries();
      const next = this.hand.next();
      if (next.done) {
        this.hand = undefined;
        continue;
      }
      const [key, slot] = next.value;
      if (!slot.used) {
        this.slots.delete(key);
        return;
      }
      slot.used = false;
    }
  }
}
