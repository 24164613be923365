/**
 * The few strings the content scripts show, in a module of their own so that a content script's
 * bundle never carries the extension's other strings.
 */
export const PT_BR_CONTENT = {
  'overlay.title': 'Quita: situação do cliente',
  'overlay.hide': 'Quita ▾',
  'overlay.show': 'Quita ▴',
} as const;

export type ContentMessageKey = keyof typeof PT_BR_CONTENT;
