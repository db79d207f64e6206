import { describe, expect, it } from 'vitest';
import { Slots } from './slots.ts';

describe('Slots', () => {
  it('never has more than n holders, and serves the waiting in arrival order', async () => {
    const slots = new Slots(2);
    const order: number[] = [];
    let holders = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 7 }, async (_, i) => {
        await slots.acquire();
        holders++;
        most = Math.max(most, holders);
        order.push(i);
        await new Promise((r) => setTimeout(r, 5));
        holders--;
        slots.release();
      }),
    );
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(slots.available).toBe(2);
  });

  it('a release with nobody waiting frees a slot; a size below one is refused', async () => {
    const slots = new Slots(1);
    await slots.acquire();
    expect(slots.available).toBe(0);
    let second = false;
    const p = slots.acquire().then(() => (second = true));
    await Promise.resolve();
    expect(second).toBe(false);
    slots.release();
    await p;
    expect(second).toBe(true);
    slots.release();
    expect(slots.available).toBe(1);
    expect(() => new Slots(0)).toThrow(RangeError);
    expect(() => new Slots(1.5)).toThrow(RangeError);
  });
});
