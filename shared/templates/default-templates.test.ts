import { describe, expect, test } from 'vitest';
import * as v from 'valibot';
import { DEFAULT_CADENCE_POLICY } from '../cadence/cadence.schema';
import { DEFAULT_TEMPLATES, defaultTemplate, privacySafeVariant } from './default-templates';
import { hasLintErrors, lintTemplate } from './lint-template';
import { SAMPLE_FACTS } from './placeholders';
import { renderTemplate } from './render-message';
import { smsSegments } from './sms-segments';
import { Channels, TemplateSchema } from './template.schema';

describe('DEFAULT_TEMPLATES', () => {
  test.each(DEFAULT_TEMPLATES.map((t) => [t.id, t] as const))(
    '%s parses, lints clean and renders',
    (_id, template) => {
      expect(v.safeParse(TemplateSchema, template).success).toBe(true);
      const findings = lintTemplate(template);
      expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(hasLintErrors(findings)).toBe(false);
      const out = renderTemplate(template, SAMPLE_FACTS);
      expect(out.body).not.toMatch(/[{}]/);
      expect(out.body).toContain('Padaria P');
      if (template.channel === 'email') expect(out.subject).not.toMatch(/[{}]/);
      if (template.channel === 'sms') {
        // Accents kept by default; "economizar SMS" folds them into GSM-7 and two parts at most.
        expect(smsSegments(out.body).segments).toBeLessThanOrEqual(5);
        const saving = renderTemplate(template, SAMPLE_FACTS, { gsm7: true }).body;
        expect(smsSegments(saving)).toMatchObject({ encoding: 'GSM-7' });
        expect(smsSegments(saving).segments).toBeLessThanOrEqual(2);
      }
    },
  );

  test('ids are unique', () => {
    expect(new Set(DEFAULT_TEMPLATES.map((t) => t.id)).size).toBe(DEFAULT_TEMPLATES.length);
  });

  test.each(
    [...DEFAULT_CADENCE_POLICY.steps, ...(DEFAULT_CADENCE_POLICY.installmentSteps ?? [])].flatMap(
      (s) => Channels.map((c) => [s.id, c] as const),
    ),
  )('step %s has a %s template', (stepId, channel) => {
    expect(defaultTemplate(`${stepId}.${channel}`)).toMatchObject({
      stepId,
      channel,
      privacySafe: false,
    });
  });

  test.each(
    [...DEFAULT_CADENCE_POLICY.steps, ...(DEFAULT_CADENCE_POLICY.installmentSteps ?? [])].map(
      (s) => [s.id, s.templateId] as const,
    ),
  )('step %s points at %s', (_s, templateId) => {
    expect(defaultTemplate(templateId)).toBeDefined();
  });

  test('non-privacy-safe messages carry the full creditor identification once', () => {
    for (const t of DEFAULT_TEMPLATES.filter((x) => !x.privacySafe)) {
      const body = renderTemplate(t, SAMPLE_FACTS).body;
      expect(body.match(/11\.222\.333\/0001-81/g)).toHaveLength(1);
      expect(body).toContain('Rua das Flores, 123');
    }
  });

  test('the D+45 notice has the elements a pre-negativação notice needs', () => {
    const out = renderTemplate(defaultTemplate('d+45.email')!, SAMPLE_FACTS);
    for (const piece of [
      'Maria Aparecida da Silva',
      '10/03/2025',
      'R$\u00a0150,00',
      'R$\u00a03,00',
      'R$\u00a05,90',
      'R$\u00a0158,90',
      '05/05/2025',
      'SPC/Serasa',
      'art. 43',
      '(19) 3232-1234',
      '24/04/2025',
    ])
      expect(out.body).toContain(piece);
  });

  test('discount placeholders appear only from D+30 on', () => {
    const early = DEFAULT_TEMPLATES.filter(
      (t) => t.stepId && ['d-3', 'd0', 'd+1', 'd+5', 'd+10', 'd+15'].includes(t.stepId),
    );
    for (const t of early) expect(JSON.stringify(t)).not.toMatch(/discount/);
  });
});

describe('privacySafeVariant', () => {
  test.each(Channels)('%s: no amount, no debt word, creditor name only', (channel) => {
    const t = privacySafeVariant(channel);
    expect(t).toMatchObject({ channel, privacySafe: true });
    expect(lintTemplate(t).filter((f) => f.severity === 'error')).toEqual([]);
    const body = renderTemplate(t, SAMPLE_FACTS).body;
    expect(body).toMatch(/Padaria P[aã]o Quente Ltda/);
    expect(body).not.toMatch(/R\$|11\.222\.333|Rua das Flores|10\/03\/2025/);
  });
});
