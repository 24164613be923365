/**
 * The template linter. Errors block saving a template; warnings are shown beside the editor.
 * Errors: unknown placeholders and malformed braces (the message would break), threats, insults,
 * exposure to third parties and false statements (CDC art. 42: no ridicule, constraint or threat;
 * art. 71: threats, false statements, exposure, interfering with work or rest), and debt-revealing
 * content in a privacy-safe template. Warnings: tone problems that can be legitimate in context
 * (a discount that really ends today), ALL-CAPS, exclamation runs, a missing creditor
 * identification (it is appended at render time) and SMS length.
 *
 * Wording is matched on text folded to lower case without accents ("Polícia" = "policia"), on
 * whole words only ("processo seletivo" never hits "processar"), with placeholders masked out.
 */
import {
  DEBT_REVEALING_PLACEHOLDERS,
  SAMPLE_FACTS,
  isPlaceholderName,
  scanPlaceholders,
  strayBraces,
} from './placeholders';
import { identifiesCreditor, renderTemplate } from './render-message';
import { smsSegments, toGsm7 } from './sms-segments';
import type { Template } from './template.schema';

export const LintSeverities = ['error', 'warning'] as const;
export type LintSeverity = (typeof LintSeverities)[number];

export const LintRules = [
  'unknown_placeholder',
  'malformed_braces',
  'threat_lawsuit',
  'threat_police',
  'threat_prison',
  'threat_seizure',
  'threat_imminent_protest',
  'threat_generic',
  'dirty_name',
  'insult',
  'shame',
  'third_party_exposure',
  'false_crime',
  'vague_measures',
  'false_urgency',
  'shouting',
  'exclamation',
  'creditor_identification',
  'sms_too_long',
  'privacy_placeholder',
  'privacy_debt_word',
] as const;
export type LintRule = (typeof LintRules)[number];

export interface LintFinding {
  severity: LintSeverity;
  rule: LintRule;
  /** pt-BR reason, shown to the person editing the template. */
  message: string;
  /** UTF-16 offset of `match` in the linted text. */
  index: number;
  match: string;
  /** Which part of the template; absent when a bare text was linted. */
  field?: 'subject' | 'body';
}

interface WordingRule {
  rule: LintRule;
  severity: LintSeverity;
  message: string;
  pattern: RegExp;
}

/**
 * A whole-word pattern over folded text: spaces in `source` match any run of whitespace, and the
 * match may not start or end inside a word.
 */
function words(source: string): RegExp {
  return new RegExp(
    `(?<![\\p{L}\\p{N}])(?:${source.replaceAll(' ', '\\s+')})(?![\\p{L}\\p{N}])`,
    'gu',
  );
}

const PERSON = '(?:te |lhe |o senhor |a senhora |voce |voces )';
const GAP = '(?: [\\p{L}\\p{N}.,-]+){0,4}?';
const THIRD_PARTY =
  '(?:(?:a |o |as |os |aos |para |com |sua |seu |suas |seus |a sua |o seu )*' +
  '(?:familia|familiares|chefe|patrao|patroa|empregador|empregadora|vizinhos?|vizinhanca|colegas?|parentes|amigos?|conhecidos|esposa|marido|mae|pai|filhos?|trabalho|emprego|igreja|condominio|sindico))';

const WORDING_RULES: readonly WordingRule[] = [
  {
    rule: 'threat_lawsuit',
    severity: 'error',
    message: 'Ameaça de processo judicial. Informe fatos e prazos, sem ameaçar (CDC art. 42).',
    pattern: words(
      [
        `(?:vamos|vou|iremos|irei|vai|ira|podemos|poderemos) ${PERSON}?process(?:ar|a-lo|a-la|a-los|a-las)(?! (?:o |a |seu |sua )?(?:pagamento|pedido|solicitacao|cadastro|baixa|reembolso|estorno|dados))`,
        `processar (?:voce|o senhor|a senhora)`,
        `processaremos|processarei`,
        `(?:voce|o senhor|a senhora) (?:sera|vai ser|pode ser|podera ser) processad[oa]`,
        `(?:vamos|vou|iremos|vai|ira) ${PERSON}?(?:colocar|botar|levar|acionar|meter) (?:voce |o senhor |a senhora )?(?:na|a) justica`,
        `entrar(?:emos)? na justica contra`,
        `(?:acao|processo) judicial contra (?:voce|o senhor|a senhora)`,
      ].join('|'),
    ),
  },
  {
    rule: 'threat_police',
    severity: 'error',
    message: 'Menção à polícia intimida o cliente; dívida é assunto civil (CDC arts. 42 e 71).',
    pattern: words('policia|policiais|policial|delegacia|boletim de ocorrencia'),
  },
  {
    rule: 'threat_prison',
    severity: 'error',
    message: 'Ameaça de prisão: ninguém é preso por dívida comum (CDC arts. 42 e 71).',
    pattern: words(
      'prisao|cadeia(?! de )|prender|(?:ser|sera|vai|vai ser|pode ser|ficar|ir) pres[oa]s?|atras das grades',
    ),
  },
  {
    rule: 'threat_seizure',
    severity: 'error',
    message: 'Ameaça de penhora ou bloqueio de bens intimida o cliente (CDC art. 42).',
    pattern: words(
      'penhor(?:a|ar|aremos|ado|ados|ada|adas)|tomar (?:os |seus |os seus )?bens|busca e apreensao|oficial de justica|bloque(?:ar|aremos|io) (?:d[ae] )?(?:sua |seu )?(?:conta|salario)',
    ),
  },
  {
    rule: 'threat_imminent_protest',
    severity: 'error',
    message:
      'Protesto ou negativação "amanhã" é ameaça e urgência falsa: a lei exige comunicado prévio por escrito com prazo (CDC art. 43 §2).',
    pattern: words(
      [
        'protest(?:o|ado|ada|ar|aremos) (?:ja |em cartorio )?(?:amanha|hoje|imediatamente|agora|ainda hoje)',
        '(?:cartorio|serasa|spc) (?:amanha|hoje|imediatamente)',
        'negativad[oa] (?:ja |ainda )?(?:amanha|hoje|imediatamente|agora)',
        'negativ(?:ar|aremos) (?:seu nome |o seu nome |voce )?(?:amanha|hoje|imediatamente|agora)',
      ].join('|'),
    ),
  },
  {
    rule: 'threat_generic',
    severity: 'error',
    message: 'Frase de ameaça ou intimidação (CDC arts. 42 e 71).',
    pattern: words(
      'vai se arrepender|voce vai ver|nao vamos deixar (?:barato|assim)|vamos atras de voce|sabemos onde (?:voce )?mora|sabemos onde (?:voce )?trabalha|ou entao vai',
    ),
  },
  {
    rule: 'dirty_name',
    severity: 'error',
    message: 'Expressão vexatória sobre o nome do cliente ("nome sujo") (CDC art. 42).',
    pattern: words(
      'nome suj[oa]|sujar (?:o |seu |o seu )?nome|nome (?:vai|ira) (?:ficar |ser )?suj[oa]|lista negra',
    ),
  },
  {
    rule: 'insult',
    severity: 'error',
    message: 'Ofensa ao cliente expõe a empresa a indenização (CDC arts. 42 e 71).',
    pattern: words(
      'caloteir[oa]s?|calote|mau pagador|maus pagadores|ma pagadora|mas pagadoras|vagabund[oa]s?|safad[oa]s?|trambiqueir[oa]s?|golpistas?|picaret[ao]s?|desonest[oa]s?|irresponsave(?:l|is)|sem-vergonha',
    ),
  },
  {
    rule: 'shame',
    severity: 'error',
    message: 'Falar em vergonha ou humilhação expõe o cliente ao ridículo (CDC art. 42).',
    pattern: words(
      '(?<!nao (?:tenha|precisa ter|precisa sentir|sinta|fique com) )vergonha|vergonhos[oa]|humilha(?:cao|nte|r)',
    ),
  },
  {
    rule: 'third_party_exposure',
    severity: 'error',
    message:
      'Envolver família, trabalho ou vizinhos expõe a dívida a terceiros (CDC arts. 42 e 71, LGPD).',
    pattern: words(
      [
        `(?:avisar|avisaremos|avisamos|contar|contaremos|comunicar|comunicaremos|informar|informaremos|ligar|ligaremos|ligamos|procurar|procuraremos|notificar|notificaremos|falar|falaremos|visitar|visitaremos|cobrar|cobraremos|expor|exporemos)${GAP} ${THIRD_PARTY}`,
        '(?:todos|toda a rua|o bairro|seus vizinhos|sua familia|seu chefe) (?:vao|vai|irao|ira) saber',
        `(?:publicar|publicaremos|postar|divulgar|divulgaremos|expor|espalhar)${GAP} (?:seu nome|sua divida|sua foto|nas redes sociais|no grupo)`,
        '(?:ir|iremos|vamos|passaremos) (?:ate |ao |no |em )?(?:o )?seu (?:trabalho|emprego|servico)',
      ].join('|'),
    ),
  },
  {
    rule: 'false_crime',
    severity: 'error',
    message: 'Não pagar uma dívida não é crime; afirmar isso é declaração falsa (CDC art. 71).',
    pattern: words('crimes?|criminos[oa]s?|estelionat(?:o|ario|aria)|processo criminal'),
  },
  {
    rule: 'vague_measures',
    severity: 'warning',
    message:
      'Ameaça vaga de "medidas" intimida sem informar; diga qual é o próximo passo e quando.',
    pattern: words(
      'medidas (?:cabiveis|drasticas|legais|judiciais|necessarias)|providencias cabiveis',
    ),
  },
  {
    rule: 'false_urgency',
    severity: 'warning',
    message: 'Urgência artificial pressiona o cliente; prefira um prazo concreto e verdadeiro.',
    pattern: words(
      'ultima chance|ultimo aviso|ultima oportunidade|urgente|urgentissimo|imediatamente|(?:so|somente|apenas) hoje|antes que seja tarde|sem mais prazos?|prazo final|agora mesmo',
    ),
  },
];

const PRIVACY_DEBT_WORDS = words(
  'dividas?|debitos?|devendo|deve|atras(?:o|os|ado|ada|ados|adas)|cobrancas?|cobrar|cobramos|vencid[oa]s?|vencimentos?|vence|venceu|inadimpl[\\p{L}]*|pendencias?|pendentes?|em aberto|quita(?:r|cao)|negativ(?:ar|acao|ado|ada)|protest(?:o|ar|ado|ada)|boletos?|faturas?|parcelas?|juros|multas?|acordos?|renegocia[\\p{L}]*|negocia(?:r|cao)|spc|serasa|pagamentos?|pagar|pague|valor(?:es)?',
);

/** Acronyms that are legitimately written in capitals. */
const CAPS_ALLOWED = new Set([
  'CNPJ',
  'CPF',
  'PIX',
  'SMS',
  'SPC',
  'SERASA',
  'CEP',
  'LTDA',
  'EIRELI',
  'PROCON',
  'CDC',
  'LGPD',
  'BRL',
  'URL',
  'WHATSAPP',
]);

/** Lower case, accents removed, with a map from each folded UTF-16 unit back to the original offset. */
function fold(text: string): { folded: string; origin: number[] } {
  let folded = '';
  const origin: number[] = [];
  let offset = 0;
  for (const ch of text) {
    const f = ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    folded += f;
    for (let k = 0; k < f.length; k++) origin.push(offset);
    offset += ch.length;
  }
  origin.push(offset);
  return { folded, origin };
}

function maskPlaceholders(text: string): string {
  let out = text;
  for (const t of scanPlaceholders(text))
    out = out.slice(0, t.index) + ' '.repeat(t.match.length) + out.slice(t.index + t.match.length);
  return out;
}

function matchFolded(
  text: string,
  masked: string,
  pattern: RegExp,
): { index: number; match: string }[] {
  const { folded, origin } = fold(masked);
  return [...folded.matchAll(pattern)].map((m) => {
    const start = origin[m.index] ?? 0;
    const end = origin[m.index + m[0].length] ?? text.length;
    return { index: start, match: text.slice(start, end) };
  });
}

export interface LintTextOptions {
  /** Enables the privacy-safe rules (no debt-revealing placeholder, no debt word). */
  privacySafe?: boolean;
}

/** Findings for one text (a subject or a body), in order of position. */
export function lintText(text: string, options: LintTextOptions = {}): LintFinding[] {
  const findings: LintFinding[] = [];
  const add = (
    severity: LintSeverity,
    rule: LintRule,
    message: string,
    index: number,
    match: string,
  ) => findings.push({ severity, rule, message, index, match });

  for (const s of strayBraces(text))
    add(
      'error',
      'malformed_braces',
      'Chaves malformadas: escreva os campos como {{nome_do_campo}}.',
      s.index,
      s.match,
    );
  for (const t of scanPlaceholders(text)) {
    if (!isPlaceholderName(t.name))
      add(
        'error',
        'unknown_placeholder',
        `O campo ${t.match} não existe; escolha um campo da lista.`,
        t.index,
        t.match,
      );
    else if (options.privacySafe && DEBT_REVEALING_PLACEHOLDERS.includes(t.name))
      add(
        'error',
        'privacy_placeholder',
        `Mensagem sem exposição não pode mostrar ${t.match}: revela a dívida a quem pode não ser o cliente.`,
        t.index,
        t.match,
      );
  }

  const masked = maskPlaceholders(text);
  for (const r of WORDING_RULES)
    for (const m of matchFolded(text, masked, r.pattern))
      add(r.severity, r.rule, r.message, m.index, m.match);
  if (options.privacySafe)
    for (const m of matchFolded(text, masked, PRIVACY_DEBT_WORDS))
      add(
        'error',
        'privacy_debt_word',
        `Mensagem sem exposição não pode falar em "${m.match}": revela a dívida a terceiros (CDC art. 42, LGPD).`,
        m.index,
        m.match,
      );

  for (const m of masked.matchAll(/(?<![\p{L}\p{N}])\p{Lu}{4,}(?![\p{L}\p{N}])/gu))
    if (!CAPS_ALLOWED.has(m[0].normalize('NFD').replace(/\p{M}/gu, '')))
      add(
        'warning',
        'shouting',
        'Palavras em maiúsculas soam como grito; escreva normalmente.',
        m.index,
        m[0],
      );

  for (const m of masked.matchAll(/!{2,}/g))
    add(
      'warning',
      'exclamation',
      'Vários pontos de exclamação seguidos soam agressivos.',
      m.index,
      m[0],
    );
  const singles = [...masked.matchAll(/(?<!!)!(?!!)/g)];
  const third = singles[2];
  if (third)
    add(
      'warning',
      'exclamation',
      'Exclamações demais no texto; use no máximo duas.',
      third.index,
      '!',
    );

  return findings.sort((a, b) => a.index - b.index);
}

export interface LintTemplateOptions {
  /** SMS longer than this many segments (with the sample facts) is a warning; default 2. */
  maxSmsSegments?: number;
  /** The owner's "economizar SMS" (messages settings): count the SMS as it is sent, folded. */
  smsSaveSegments?: boolean;
}

/**
 * Findings for a whole template (both fields of an e-mail, privacy rules when `privacySafe`,
 * creditor identification, SMS length estimated by rendering with `SAMPLE_FACTS`), or for a bare
 * text when given a string.
 */
export function lintTemplate(
  template: Template | string,
  options: LintTemplateOptions = {},
): LintFinding[] {
  if (typeof template === 'string') return lintText(template);
  const opts = { privacySafe: template.privacySafe };
  const findings: LintFinding[] = [];
  if (template.channel === 'email')
    for (const f of lintText(template.subject, opts)) findings.push({ ...f, field: 'subject' });
  for (const f of lintText(template.body, opts)) findings.push({ ...f, field: 'body' });
  if (findings.some((f) => f.rule === 'unknown_placeholder' || f.rule === 'malformed_braces'))
    return findings;

  if (!identifiesCreditor(template))
    findings.push({
      severity: 'warning',
      rule: 'creditor_identification',
      message: template.privacySafe
        ? 'O nome da empresa será acrescentado ao final da mensagem.'
        : 'Nome, CNPJ/CPF e endereço da empresa serão acrescentados ao final (CDC art. 42-A).',
      index: template.body.length,
      match: '',
      field: 'body',
    });

  if (template.channel === 'sms') {
    const max = options.maxSmsSegments ?? 2;
    const saving = options.smsSaveSegments === true;
    const { body } = renderTemplate(template, SAMPLE_FACTS, { gsm7: saving });
    const sms = smsSegments(body);
    const folded = saving ? sms : smsSegments(toGsm7(body));
    if (sms.segments > max)
      findings.push({
        severity: 'warning',
        rule: 'sms_too_long',
        message:
          `SMS com ${sms.segments} partes (${sms.characters} caracteres, até ${sms.perSegment} por parte, com dados de exemplo e identificação do credor); o limite é ${max}.` +
          (folded.segments < sms.segments
            ? ` Sem acentos ("economizar SMS") seriam ${folded.segments}.`
            : ''),
        index: 0,
        match: '',
        field: 'body',
      });
  }
  return findings;
}

/** True when any finding blocks saving. */
export function hasLintErrors(findings: readonly LintFinding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
