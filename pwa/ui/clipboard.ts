/**
 * Copies text wherever the app is served from: the async Clipboard API exists only in a secure
 * context (https or localhost), so over plain http on a LAN name the text is copied the old way,
 * from a hidden textarea. Answers whether it worked.
 */
export async function copyText(text: string): Promise<boolean> {
  if (window.isSecureContext && navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Refused (no user gesture, permission): try the old way below.
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'offscreen';
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    // Deprecated but the only copy outside a secure context; still supported by every browser.
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}
