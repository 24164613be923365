import { describe, expect, test } from 'vitest';
import { hasLintErrors, lintTemplate, lintText } from './lint-template';
import type { Template } from './template.schema';

const rulesOf = (text: string, privacySafe = false) =>
  lintText(text, { privacySafe }).map((f) => f.rule);

describe('lintText: wording that must be flagged', () => {
  test.each([
    {
      text: 'Se não pagar, vamos processar você.',
      rule: 'threat_lawsuit',
      match: 'vamos processar',
    },
    { text: 'Vamos te processar.', rule: 'threat_lawsuit', match: 'Vamos te processar' },
    {
      text: 'A senhora será processada.',
      rule: 'threat_lawsuit',
      match: 'A senhora será processada',
    },
    { text: 'Processaremos o senhor.', rule: 'threat_lawsuit', match: 'Processaremos' },
    {
      text: 'Vamos colocar você na Justiça.',
      rule: 'threat_lawsuit',
      match: 'Vamos colocar você na Justiça',
    },
    { text: 'Chamaremos a POLÍCIA.', rule: 'threat_police', match: 'POLÍCIA' },
    {
      text: 'Vamos registrar boletim de ocorrência.',
      rule: 'threat_police',
      match: 'boletim de ocorrência',
    },
    { text: 'Isso pode dar prisão.', rule: 'threat_prison', match: 'prisão' },
    { text: 'Quer ir para a cadeia?', rule: 'threat_prison', match: 'cadeia' },
    { text: 'Você vai ser preso.', rule: 'threat_prison', match: 'vai ser preso' },
    { text: 'Haverá penhora dos seus bens.', rule: 'threat_seizure', match: 'penhora' },
    { text: 'Vamos bloquear seu salário.', rule: 'threat_seizure', match: 'bloquear seu salário' },
    { text: 'Protesto amanhã!', rule: 'threat_imminent_protest', match: 'Protesto amanhã' },
    {
      text: 'Seu título será protestado hoje.',
      rule: 'threat_imminent_protest',
      match: 'protestado hoje',
    },
    {
      text: 'Vai ficar negativado amanhã.',
      rule: 'threat_imminent_protest',
      match: 'negativado amanhã',
    },
    { text: 'Seu nome vai ser sujo na praça.', rule: 'dirty_name', match: 'nome vai ser sujo' },
    { text: 'Não queira ficar com o nome sujo.', rule: 'dirty_name', match: 'nome sujo' },
    { text: 'Caloteiro!', rule: 'insult', match: 'Caloteiro' },
    { text: 'Isso é coisa de mau pagador.', rule: 'insult', match: 'mau pagador' },
    { text: 'Que vergonha.', rule: 'shame', match: 'vergonha' },
    {
      text: 'Vamos avisar sua família.',
      rule: 'third_party_exposure',
      match: 'avisar sua família',
    },
    {
      text: 'Ligaremos para o seu chefe.',
      rule: 'third_party_exposure',
      match: 'Ligaremos para o seu chefe',
    },
    {
      text: 'Vamos contar tudo aos vizinhos.',
      rule: 'third_party_exposure',
      match: 'contar tudo aos vizinhos',
    },
    { text: 'Todos vão saber.', rule: 'third_party_exposure', match: 'Todos vão saber' },
    { text: 'Vamos publicar seu nome.', rule: 'third_party_exposure', match: 'publicar seu nome' },
    {
      text: 'Iremos até seu trabalho.',
      rule: 'third_party_exposure',
      match: 'Iremos até seu trabalho',
    },
    { text: 'Não pagar é crime.', rule: 'false_crime', match: 'crime' },
    { text: 'Isso é estelionato.', rule: 'false_crime', match: 'estelionato' },
    { text: 'Você vai se arrepender.', rule: 'threat_generic', match: 'vai se arrepender' },
    { text: 'Tomaremos as medidas cabíveis.', rule: 'vague_measures', match: 'medidas cabíveis' },
    { text: 'Última chance de pagar.', rule: 'false_urgency', match: 'Última chance' },
    { text: 'Pague imediatamente.', rule: 'false_urgency', match: 'imediatamente' },
    { text: 'Pague agora. URGENTE', rule: 'shouting', match: 'URGENTE' },
    { text: 'Pague já!!', rule: 'exclamation', match: '!!' },
    { text: 'Oi! Tudo bem! Pague!', rule: 'exclamation', match: '!' },
  ])('"$text" → $rule', ({ text, rule, match }) => {
    const found = lintText(text).find((f) => f.rule === rule);
    expect(found).toBeDefined();
    expect(found?.match).toBe(match);
    expect(text.slice(found?.index, (found?.index ?? 0) + match.length)).toBe(match);
  });
});

describe('lintText: wording that must NOT be flagged', () => {
  test.each([
    'Participe do nosso processo seletivo.',
    'Estamos processando o seu pagamento.',
    'Vamos processar seu pagamento em até 2 dias úteis.',
    'O pagamento será processado amanhã.',
    'Nossa cadeia de lojas agradece.',
    'Não tenha vergonha de nos procurar.',
    'Precisamos informar seus dados de pagamento.',
    'Fale com a gente pelo WhatsApp.',
    'Se a conta não for paga até 05/05/2025, poderá ser registrada no SPC/Serasa.',
    'Cuidado com fraudes: nunca pedimos sua senha.',
    'Chave PIX e CNPJ da empresa abaixo.',
    'Olá! Obrigado pela preferência!',
    'Caso o pagamento não seja feito, o débito poderá ser levado a protesto após o prazo do comunicado.',
    'Repressão não, conversa sim: descriminalizar o diálogo.',
    '{{creditor_name}} agradece.',
  ])('"%s" is clean', (text) => {
    expect(lintText(text)).toEqual([]);
  });
});

describe('lintText: braces and placeholders', () => {
  test.each([
    { text: 'Total {{valor}}', rule: 'unknown_placeholder', match: '{{valor}}', index: 6 },
    {
      text: 'Total {{ Amount_Due }}',
      rule: 'unknown_placeholder',
      match: '{{ Amount_Due }}',
      index: 6,
    },
    { text: 'Total {amount_due}', rule: 'malformed_braces', match: '{', index: 6 },
    { text: 'Total {{amount_due}', rule: 'malformed_braces', match: '{{', index: 6 },
    { text: 'Total amount_due}}', rule: 'malformed_braces', match: '}}', index: 16 },
  ])('$text → $rule error', ({ text, rule, match, index }) => {
    const findings = lintText(text);
    expect(findings).toContainEqual(
      expect.objectContaining({ severity: 'error', rule, match, index }),
    );
    expect(hasLintErrors(findings)).toBe(true);
  });

  test('known placeholders are fine and not linted as words', () => {
    expect(lintText('Total {{amount_due}} em {{due_date}}, {{debtor_first_name}}.')).toEqual([]);
  });
});

describe('lintText: privacy-safe rules', () => {
  test.each([
    {
      text: 'Oi {{debtor_first_name}}, valor {{amount_due}}.',
      rule: 'privacy_placeholder',
      match: '{{amount_due}}',
    },
    { text: 'Oi, vencimento {{due_date}}.', rule: 'privacy_placeholder', match: '{{due_date}}' },
    {
      text: 'Oi. {{creditor_document}}',
      rule: 'privacy_placeholder',
      match: '{{creditor_document}}',
    },
    { text: 'Oi, sobre sua dívida.', rule: 'privacy_debt_word', match: 'dívida' },
    { text: 'Oi, temos um débito.', rule: 'privacy_debt_word', match: 'débito' },
    { text: 'Seu boleto está em atraso.', rule: 'privacy_debt_word', match: 'boleto' },
    { text: 'A conta está vencida.', rule: 'privacy_debt_word', match: 'vencida' },
    { text: 'Cliente inadimplente.', rule: 'privacy_debt_word', match: 'inadimplente' },
    { text: 'Há um pagamento pendente.', rule: 'privacy_debt_word', match: 'pagamento' },
    { text: 'Setor de cobrança.', rule: 'privacy_debt_word', match: 'cobrança' },
  ])('"$text" → $rule when privacy-safe only', ({ text, rule, match }) => {
    expect(lintText(text, { privacySafe: true })).toContainEqual(
      expect.objectContaining({ severity: 'error', rule, match }),
    );
    expect(rulesOf(text)).not.toContain(rule);
  });

  test('a neutral privacy-safe text is clean', () => {
    expect(
      lintText(
        'Olá, {{debtor_first_name}}. Aqui é da {{creditor_name}}. Temos um assunto para tratar com você.',
        {
          privacySafe: true,
        },
      ),
    ).toEqual([]);
  });
});

const tpl = { tone: 'friendly', privacySafe: false } as const;

describe('lintTemplate', () => {
  test('a bare string is linted as a body', () => {
    expect(lintTemplate('Total {{valor}}').map((f) => f.rule)).toEqual(['unknown_placeholder']);
  });

  test('reports the field of each finding in an e-mail', () => {
    const t: Template = {
      ...tpl,
      id: 't',
      channel: 'email',
      subject: 'ÚLTIMO aviso {{valor}}',
      body: 'Oi',
    };
    const findings = lintTemplate(t);
    expect(findings).toContainEqual(
      expect.objectContaining({ rule: 'unknown_placeholder', field: 'subject' }),
    );
    expect(findings).toContainEqual(
      expect.objectContaining({ rule: 'shouting', field: 'subject', match: 'ÚLTIMO' }),
    );
  });

  test.each([
    {
      name: 'no identification',
      body: 'Oi {{debtor_first_name}}',
      privacySafe: false,
      warns: true,
    },
    {
      name: 'name only, full message',
      body: 'Oi, aqui é da {{creditor_name}}',
      privacySafe: false,
      warns: true,
    },
    {
      name: 'full identification',
      body: '{{creditor_name}} {{creditor_document}} {{creditor_address}}',
      privacySafe: false,
      warns: false,
    },
    {
      name: 'name only, privacy-safe',
      body: 'Oi, aqui é da {{creditor_name}}',
      privacySafe: true,
      warns: false,
    },
  ])('creditor identification warning: $name → $warns', ({ body, privacySafe, warns }) => {
    const rules = lintTemplate({ ...tpl, privacySafe, id: 't', channel: 'whatsapp', body }).map(
      (f) => f.rule,
    );
    expect(rules.includes('creditor_identification')).toBe(warns);
  });

  test.each([
    { length: 150, segments: 2, warns: false },
    { length: 250, segments: 3, warns: true },
  ])(
    'SMS of $length letters plus identification, saving segments → $segments segments, warns $warns',
    ({ length, segments, warns }) => {
      const t: Template = { ...tpl, id: 't', channel: 'sms', body: 'a'.repeat(length) };
      const finding = lintTemplate(t, { smsSaveSegments: true }).find(
        (f) => f.rule === 'sms_too_long',
      );
      expect(finding !== undefined).toBe(warns);
      if (finding) {
        expect(finding.severity).toBe('warning');
        expect(finding.message).toContain(`${segments} partes`);
      }
    },
  );

  test('accents cost parts: the warning says how many the saving choice would send', () => {
    const t: Template = {
      ...tpl,
      id: 't',
      channel: 'sms',
      body: 'Atenção, você não pagou. '.repeat(4),
    };
    const kept = lintTemplate(t).find((f) => f.rule === 'sms_too_long');
    expect(kept?.message).toMatch(/até 67 por parte.*Sem acentos \("economizar SMS"\) seriam \d/);
    expect(kept?.message).not.toMatch(/UCS|GSM/);
    const saving = lintTemplate(t, { smsSaveSegments: true }).find(
      (f) => f.rule === 'sms_too_long',
    );
    expect(saving?.message ?? '').not.toContain('Sem acentos');
  });

  test('the SMS limit is configurable', () => {
    const t: Template = { ...tpl, id: 't', channel: 'sms', body: 'a'.repeat(150) };
    expect(lintTemplate(t, { maxSmsSegments: 1 }).map((f) => f.rule)).toContain('sms_too_long');
  });

  test('a privacy-safe template with an amount is refused', () => {
    const t: Template = {
      ...tpl,
      privacySafe: true,
      id: 't',
      channel: 'sms',
      body: 'Oi, {{creditor_name}}: {{amount_due}}',
    };
    expect(hasLintErrors(lintTemplate(t))).toBe(true);
  });
});
