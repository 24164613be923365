/** `t` for content scripts: only the strings they show (see `PT_BR_CONTENT`). */
import { PT_BR_CONTENT, type ContentMessageKey } from './pt-br-content';

export function tc(key: ContentMessageKey): string {
  return PT_BR_CONTENT[key];
}
