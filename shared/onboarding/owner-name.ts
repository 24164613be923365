/**
 * A first guess at a person's name from their e-mail address, for the owner created from
 * QUITA_OWNER_EMAIL without QUITA_OWNER_NAME: "rosa.almeida@padaria.com.br" → "Rosa Almeida".
 * Only letters survive (digits and symbols are not names); nothing left → the fallback. The
 * first-run guide asks the person to confirm or correct it.
 */
export function nameFromEmail(email: string, fallback: string): string {
  // "rosa+quita@…" is Rosa's address with a tag: the tag is no part of her name.
  const local = (email.split('@')[0] ?? '').split('+')[0] ?? '';
  const words = local
    .split(/[._\-\s]+/)
    .map((w) => w.replace(/[^\p{L}]/gu, ''))
    .filter((w) => w.length > 1);
  if (words.length === 0) return fallback;
  return words
    .slice(0, 4)
    .map((w) => w.charAt(0).toLocaleUpperCase('pt-BR') + w.slice(1).toLocaleLowerCase('pt-BR'))
    .join(' ');
}
