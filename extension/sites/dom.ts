/**
 * Site-independent DOM helpers for the adapters: visibility (Gmail and WhatsApp keep stale views
 * in the DOM, hidden) and reading a contenteditable's text back the way a person sees it.
 */

/** Rendered and not hidden by any ancestor (display, visibility, content-visibility). */
export function isVisible(el: Element): boolean {
  if (typeof el.checkVisibility === 'function')
    return el.checkVisibility({ visibilityProperty: true });
  return (el as HTMLElement).offsetParent !== null;
}

/** The elements matching `selector` under `root` that are visible, in document order. */
export function visibleAll(root: ParentNode, selector: string): Element[] {
  return [...root.querySelectorAll(selector)].filter(isVisible);
}

const BLOCK = /^(P|DIV|LI|BLOCKQUOTE|H[1-6]|PRE|UL|OL|TABLE|TR)$/;

function blockLines(el: Element): string[] {
  const lines: string[] = [];
  let current = '';
  let open = false;
  for (const node of el.childNodes) {
    if (node.nodeType === 3) {
      current += (node as Text).data;
      open = true;
    } else if (node.nodeType === 1) {
      const child = node as Element;
      if (child.tagName === 'BR') {
        lines.push(current);
        current = '';
        open = false;
      } else if (BLOCK.test(child.tagName)) {
        if (open) lines.push(current);
        current = '';
        open = false;
        lines.push(...blockLines(child));
      } else {
        current += child.textContent ?? '';
        open = true;
      }
    }
  }
  if (open) lines.push(current);
  return lines;
}

/**
 * The text of a contenteditable as lines joined by "\n": blocks (<p>, <div>) and <br> break lines,
 * a block holding only <br> is an empty line, non-breaking spaces read as spaces. Gmail's
 * "a<div><br></div><div>b</div>" and Lexical's "<p>a</p><p><br></p><p>b</p>" both read "a\n\nb".
 */
export function editableText(el: Element): string {
  return blockLines(el)
    .join('\n')
    .replace(/\u00a0/g, ' ');
}

/** The normal form two texts are compared in after an insertion. */
export function normalizedText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\u00a0/g, ' ')
    .trimEnd();
}

/** Resolves after `ms` (lets an editor observe focus and selection before input arrives). */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Puts the caret at the end of `el` unless the selection is already inside it. */
export function caretInside(el: Element, where: 'start' | 'end'): void {
  const selection = el.ownerDocument.getSelection();
  if (!selection) return;
  const anchor = selection.anchorNode;
  if (anchor && el.contains(anchor)) return;
  const range = el.ownerDocument.createRange();
  range.selectNodeContents(el);
  range.collapse(where === 'start');
  selection.removeAllRanges();
  selection.addRange(range);
}
