/**
 * Password policy: a password is refused when a realistic guessing estimate (zxcvbn-ts with its
 * common dictionary of leaked passwords, the pt-BR dictionaries and the pt-BR feedback) scores it
 * below MIN_PASSWORD_SCORE, i.e. under about 10^8 guesses; the person's own name and e-mail (and
 * the product's name) count as words an attacker tries first. The reason is zxcvbn's own warning
 * and first suggestion, in pt-BR. The server checks every password it stores (users, setup,
 * reset); the PWA runs the same check before sending, from the owner's lazily loaded chunk.
 *
 * The dictionaries are large: the estimator is built on the first check, not when this module
 * loads.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as ptBr from '@zxcvbn-ts/language-pt-br';

/** zxcvbn scores 0–4; 3 means "safely unguessable: moderate protection from offline attacks". */
export const MIN_PASSWORD_SCORE = 3;

let factory: ZxcvbnFactory | undefined;

function estimator(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    translations: ptBr.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...ptBr.dictionary },
  });
  return factory;
}

/** The words of a name or e-mail an attacker would try (parts of 3+ characters). */
function personalWords(inputs: readonly string[]): string[] {
  const words = inputs.flatMap((s) => {
    const folded = s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    const parts = folded.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3);
    // "joaosilva" as well as "joao" and "silva": names are typed run together.
    return [...parts, parts.join('')];
  });
  return [...new Set(['quita', 'cobranca', ...words.filter((w) => w.length >= 3)])];
}

/** The verdict on a password: null when acceptable, otherwise the pt-BR reason. */
export function passwordWeakness(
  password: string,
  personal: readonly string[] = [],
): string | null {
  const result = estimator().check(password.slice(0, 256), personalWords(personal));
  if (result.score >= MIN_PASSWORD_SCORE) return null;
  // The package's own text for this one reads badly; the rest of its pt-BR is used as it is.
  const warning =
    result.feedback.warning === ptBr.translations.warnings.userInputs
      ? 'usa o seu nome ou o seu e-mail'
      : result.feedback.warning?.trim().replace(/\.$/, '');
  const suggestion = result.feedback.suggestions[0]?.trim().replace(/\.$/, '');
  const why = warning ? lowerFirst(warning) : 'é fácil de adivinhar';
  return `senha fraca: ${why}${suggestion ? `. ${suggestion}` : ''}`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
