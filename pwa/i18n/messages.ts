/**
 * Every string the PWA shows goes through `t()`. pt-BR is the product language; English can follow
 * by adding a catalogue with the same keys (the type makes a missing key a compile error).
 */
const ptBR = {
  'app.name': 'Quita',
  'app.tagline': 'Cobrança amigável para pequenos negócios',
  'home.serverStatus': 'Servidor',
  'home.online': 'conectado',
  'home.offline': 'sem conexão',
  'home.database': 'Banco de dados',
} as const;

export type MessageKey = keyof typeof ptBR;
const catalogues: Record<string, Record<MessageKey, string>> = { 'pt-BR': ptBR };
let current: Record<MessageKey, string> = ptBR;

export function setLocale(locale: string): void {
  current = catalogues[locale] ?? ptBR;
}

export function t(key: MessageKey): string {
  return current[key];
}
