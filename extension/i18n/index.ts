/**
 * The extension's one i18n entry point: `t(key, params)` with `{name}` substitution. pt-BR is the
 * only locale today; a second one adds a dictionary with the same keys.
 */
import { PT_BR, type MessageKey } from './pt-br';

export type { MessageKey };

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return PT_BR[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
