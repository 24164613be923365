const percentFormat = new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 2 });

/** Basis points as pt-BR percent text for labels and messages: 250 → "2,5%", 1000 → "10%". */
export function formatBps(bps: number): string {
  // bps / 100 has at most two decimals, which a double holds closely enough to print exactly.
  return `${percentFormat.format(bps / 100)}%`;
}
