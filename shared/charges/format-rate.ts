const percentFormat = new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 2 });

/** Basis points as pt-BR percent text for labels and messages: 250 → "2,5%", 1000 → "10%". */
export function formatBps(bps: number): string {
  let text = formatted.get(bps);
  if (text === undefined) {
    // bps / 100 has at most two decimals, which a double holds closely enough to print exactly.
    text = `${percentFormat.format(bps / 100)}%`;
    if (formatted.size >= FORMATTED_MAX) formatted.clear();
    formatted.set(bps, text);
  }
  return text;
}

/**
 * Texts by basis points: every balance label of a portfolio names the same few rates (2% multa,
 * 1% ao mês), and Intl formatting was a visible share of computing 100,000 balances. Pure, so
 * memoising is safe; bounded.
 */
const formatted = new Map<number, string>();
const FORMATTED_MAX = 1024;
