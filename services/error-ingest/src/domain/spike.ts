// Spike detection against an issue's own baseline: the current minute's count as a
// z-score over the preceding minutes, with a Poisson floor on the deviation so that a
// quiet issue going from 0 to 2 is not a spike.
export interface SpikeOptions {
  minCount: number;
  zThreshold: number;
}

export interface SpikeVerdict {
  spike: boolean;
  baseline: number;
  zScore: number;
}

/** `history`: counts of the preceding minutes (zeros included), oldest first. */
export function detectSpike(history: number[], current: number, o: SpikeOptions): SpikeVerdict {
  const n = history.length || 1;
  const mean = history.reduce((a, b) => a + b, 0) / n;
  const variance = history.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  const deviation = Math.max(Math.sqrt(variance), Math.sqrt(Math.max(mean, 1)));
  const zScore = (current - mean) / deviation;
  return { spike: current >= o.minCount && zScore >= o.zThreshold, baseline: Math.round(mean * 100) / 100, zScore: Math.round(zScore * 100) / 100 };
}
