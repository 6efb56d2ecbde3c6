import { lazyTokenCounter, type LazyTokenCounter } from '../core/context/token-counter';

const counters = new Map<string, LazyTokenCounter>();

/**
 * The token counter for a model, loaded on first use (not at activation: the encoding takes about
 * 120 ms to load). Until it has loaded, counts are a deliberately high estimate.
 */
export function tokenCounterFor(model: string): LazyTokenCounter {
  let counter = counters.get(model);
  if (!counter) {
    counter = lazyTokenCounter(model);
    counters.set(model, counter);
  }
  return counter;
}
