import { randomBytes } from 'node:crypto';

/**
 * Sortable ids: 48 bits of milliseconds then 80 random bits, as 26 Crockford base32
 * characters (ULID layout). Time order keeps B-tree inserts local; the random part makes
 * ids unguessable enough that a foreign id cannot be enumerated.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

let lastTime = -1;
let lastRandom = 0n;
const RANDOM_MAX = (1n << 80n) - 1n;

export function newId(prefix: string, now = Date.now()): string {
  // Monotonic within the process: ids made in the same millisecond keep their creation order
  // (timelines sort by id), by counting up from the previous random part.
  if (now <= lastTime && lastRandom < RANDOM_MAX) {
    now = lastTime;
    lastRandom += 1n;
  } else {
    lastTime = now;
    lastRandom = BigInt(`0x${randomBytes(10).toString('hex')}`) >> 1n;
  }
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let rand = '';
  let acc = lastRandom;
  for (let i = 0; i < 16; i++) {
    rand = ALPHABET[Number(acc & 31n)] + rand;
    acc >>= 5n;
  }
  return `${prefix}_${time}${rand}`.toLowerCase();
}

/** A bearer secret with `bytes` of entropy, base64url (256 bits by default). */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
