/**
 * `/api/settings`: the creditor identity and the policy sections (cadence, contact windows,
 * templates, negotiation, promises, holidays). Every signed-in role may READ them: the field app
 * renders messages, builds PIX codes and checks contact windows offline, and the extension renders
 * templates. Only owners change them; every change is audited.
 *
 * Decisions:
 * - Unsaved sections answer the shared default (`isDefault: true`, `version: 0`).
 * - Optimistic concurrency: a PUT may send `If-Match: <version>`; a stale one is 412.
 * - Contact windows (windows, per-state windows, budget) are part of the cadence policy, so one
 *   document holds every send-time rule; `/contact-windows` reads and replaces just that part.
 * - The policy's `timeZone` is the organisation's: a cadence PUT with another zone is refused, so
 *   "today" has a single source.
 * - A cadence step must name an existing template of its own channel; a template with lint errors
 *   (unknown placeholder, threats, exposure…) is refused with the findings; warnings are saved and
 *   returned.
 * - Every save appends a feed row (server/sync/settings-feed.ts) in its transaction, so each
 *   collector's next pull brings the section to the phone.
 */
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import {
  CadencePolicySchema,
  ContactWindowsSchema,
  type CadencePolicy,
} from '#shared/cadence/cadence.schema';
import { UfSchema } from '#shared/identity/uf';
import { LintFindingSchema, OrganisationSettingsSchema } from '#shared/settings/settings.schema';
import { hasLintErrors, lintTemplate, type LintFinding } from '#shared/templates/lint-template';
import { DEFAULT_TEMPLATES } from '#shared/templates/default-templates';
import { TemplateSchema, type Template } from '#shared/templates/template.schema';
import type { Deps } from '../app';
import { audit } from '../db/audit';
import type { Tx } from '../db/db';
import { ANY_ROLE, requireRole, type AppEnv, type AuthedEnv } from '../http/auth';
import type { FieldError } from '#shared/api/problem';
import { problem, problemError, problemResponse } from '../http/problem';
import { jsonBody } from '../http/validate';
import { isSyncedSetting, recordSettingChange } from '../sync/settings-feed';
import {
  effectiveTemplates,
  loadSettings,
  readOrganisation,
  readSection,
  SECTIONS,
  writeOrganisation,
  writeSection,
  type SectionName,
  type SectionValue,
} from '../settings/settings.repo';

export const ContactWindowsSettingsSchema = v.object({
  windows: ContactWindowsSchema,
  stateWindows: v.record(UfSchema, v.optional(ContactWindowsSchema)),
  budget: v.object({
    maxPerDay: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
    maxPer7Days: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  }),
});

/** `If-Match: 3` or `"3"` → 3; absent → undefined; anything else is a 400. */
function expectedVersion(c: Context): number | undefined {
  const header = c.req.header('if-match');
  if (header === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!m?.[1])
    throw problemError(
      problem(400, 'bad-if-match', 'If-Match deve ser o número da versão lida, ex.: "3"'),
    );
  return Number(m[1]);
}

function stale(): Error {
  return problemError(
    problem(
      412,
      'stale-version',
      'outra pessoa alterou estas configurações; recarregue e tente de novo',
    ),
  );
}

function invalid(errors: FieldError[]): Error {
  const first = errors[0];
  return problemError(
    problem(422, 'validation', first ? `${first.field}: ${first.message}` : undefined, { errors }),
  );
}

/** Steps whose template is missing or written for another channel, as field problems. */
function stepTemplateProblems(
  policy: CadencePolicy,
  templates: ReadonlyMap<string, Template>,
): FieldError[] {
  const problems: FieldError[] = [];
  policy.steps.forEach((step, i) => {
    const template = templates.get(step.templateId);
    const detail =
      template === undefined
        ? `o modelo ${step.templateId} não existe`
        : template.channel !== step.channel
          ? `o modelo ${step.templateId} é de ${template.channel}, mas a etapa é de ${step.channel}`
          : undefined;
    if (detail) problems.push({ field: `steps[${i}].templateId`, message: detail });
  });
  return problems;
}

function lintProblem(findings: readonly LintFinding[]) {
  const errors = findings
    .filter((f) => f.severity === 'error')
    .map((f) => ({ field: f.field ?? 'body', message: f.message }));
  return problem(422, 'template-lint', errors[0]?.message ?? 'o modelo tem erros', {
    errors,
    findings,
  });
}

function templateSource(t: Template): 'default' | 'override' | 'custom' {
  const original = DEFAULT_TEMPLATES.find((d) => d.id === t.id);
  if (!original) return 'custom';
  return original === t ? 'default' : 'override';
}

/** `/api/settings`. */
export function settingsRoutes({ db, now }: Deps) {
  /** Saves a section and audits it, inside one transaction. */
  async function save<N extends SectionName>(
    c: Context<AuthedEnv>,
    name: N,
    value: SectionValue<N>,
    check?: (tx: Tx) => Promise<void>,
  ) {
    const expected = expectedVersion(c);
    const actor = c.get('user');
    return db.transaction(async (tx) => {
      await check?.(tx);
      const saved = await writeSection(tx, name, value, {
        actorId: actor.id,
        now: now(),
        ...(expected === undefined ? {} : { expectedVersion: expected }),
      });
      if (!saved) throw stale();
      if (isSyncedSetting(name)) await recordSettingChange(tx, name, saved.version);
      await audit(tx, {
        actor: actor.id,
        ip: c.get('ip'),
        action: 'settings.update',
        entity: 'settings',
        entityId: SECTIONS[name].key,
        detail: { version: saved.version },
      });
      return saved;
    });
  }

  /** SMS are linted as they will be sent: with accents, or folded when the owner saves segments. */
  async function lintOptionsOf() {
    const messages = await readSection(db, 'messages');
    return { smsSaveSegments: messages.value.smsSaveSegments };
  }

  /** Refuses a cadence policy whose zone is not the organisation's or whose steps lack templates. */
  async function checkPolicy(tx: Tx, policy: CadencePolicy): Promise<void> {
    const org = await readOrganisation(tx);
    const errors: FieldError[] = [];
    if (policy.timeZone !== org.timeZone)
      errors.push({
        field: 'timeZone',
        message: `o fuso horário vem da organização (${org.timeZone}); altere-o em /api/settings/organisation`,
      });
    const saved = await readSection(tx, 'templates');
    errors.push(...stepTemplateProblems(policy, effectiveTemplates(saved.value)));
    if (errors.length > 0) throw invalid(errors);
  }

  const app = new Hono<AppEnv>()
    .get('/', requireRole(...ANY_ROLE), async (c) => {
      const s = await loadSettings(db);
      return c.json({
        organisation: s.organisation,
        cadence: s.cadence,
        negotiation: s.negotiation,
        promise: s.promise,
        holidays: s.holidays,
        templates: [...s.templates.values()],
        messages: s.messages,
      });
    })

    .get('/organisation', requireRole(...ANY_ROLE), async (c) => c.json(await readOrganisation(db)))
    .put('/organisation', requireRole('owner'), jsonBody(OrganisationSettingsSchema), async (c) => {
      const input = c.req.valid('json');
      const expected = expectedVersion(c);
      const actor = c.get('user');
      const saved = await db.transaction(async (tx) => {
        const before = await readOrganisation(tx);
        const after = await writeOrganisation(tx, input, {
          actorId: actor.id,
          now: now(),
          ...(expected === undefined ? {} : { expectedVersion: expected }),
        });
        if (!after) throw stale();
        await recordSettingChange(tx, 'organisation', after.version);
        const changed = (Object.keys(after) as (keyof typeof after)[]).filter(
          (k) =>
            k !== 'version' &&
            k !== 'updatedAt' &&
            JSON.stringify(after[k]) !== JSON.stringify(before[k]),
        );
        await audit(tx, {
          actor: actor.id,
          ip: c.get('ip'),
          action: 'settings.update',
          entity: 'settings',
          entityId: 'organisation',
          detail: { version: after.version, changed },
        });
        return after;
      });
      return c.json(saved);
    })

    .get('/cadence', requireRole(...ANY_ROLE), async (c) => {
      const [section, org] = [await readSection(db, 'cadence'), await readOrganisation(db)];
      return c.json({ ...section, value: { ...section.value, timeZone: org.timeZone } });
    })
    .put('/cadence', requireRole('owner'), jsonBody(CadencePolicySchema), async (c) => {
      const policy = c.req.valid('json');
      return c.json(await save(c, 'cadence', policy, (tx) => checkPolicy(tx, policy)));
    })

    .get('/contact-windows', requireRole(...ANY_ROLE), async (c) => {
      const { value, version, isDefault, updatedAt } = await readSection(db, 'cadence');
      const { windows, stateWindows, budget } = value;
      return c.json({ value: { windows, stateWindows, budget }, version, isDefault, updatedAt });
    })
    .put(
      '/contact-windows',
      requireRole('owner'),
      jsonBody(ContactWindowsSettingsSchema),
      async (c) => {
        const part = c.req.valid('json');
        const expected = expectedVersion(c);
        const actor = c.get('user');
        // Read-modify-write of the cadence document inside one transaction (SERIALIZABLE on PG).
        const saved = await db.transaction(async (tx) => {
          const current = await readSection(tx, 'cadence');
          if (expected !== undefined && expected !== current.version) throw stale();
          const org = await readOrganisation(tx);
          const parsed = v.safeParse(CadencePolicySchema, {
            ...current.value,
            ...part,
            timeZone: org.timeZone,
          });
          if (!parsed.success) throw invalid([{ field: '', message: parsed.issues[0].message }]);
          const after = await writeSection(tx, 'cadence', parsed.output, {
            actorId: actor.id,
            now: now(),
            expectedVersion: current.version,
          });
          if (!after) throw stale();
          await recordSettingChange(tx, 'cadence', after.version);
          await audit(tx, {
            actor: actor.id,
            ip: c.get('ip'),
            action: 'settings.update',
            entity: 'settings',
            entityId: 'cadence',
            detail: { version: after.version, part: 'contact-windows' },
          });
          return after;
        });
        const { windows, stateWindows, budget } = saved.value;
        return c.json({ ...saved, value: { windows, stateWindows, budget } });
      },
    )

    .get('/negotiation', requireRole(...ANY_ROLE), async (c) =>
      c.json(await readSection(db, 'negotiation')),
    )
    .put('/negotiation', requireRole('owner'), jsonBody(SECTIONS.negotiation.schema), async (c) =>
      c.json(await save(c, 'negotiation', c.req.valid('json'))),
    )

    .get('/promise', requireRole(...ANY_ROLE), async (c) =>
      c.json(await readSection(db, 'promise')),
    )
    .put('/promise', requireRole('owner'), jsonBody(SECTIONS.promise.schema), async (c) =>
      c.json(await save(c, 'promise', c.req.valid('json'))),
    )

    .get('/messages', requireRole(...ANY_ROLE), async (c) =>
      c.json(await readSection(db, 'messages')),
    )
    .put('/messages', requireRole('owner'), jsonBody(SECTIONS.messages.schema), async (c) =>
      c.json(await save(c, 'messages', c.req.valid('json'))),
    )

    // The debtor's page (server/portal/): link lifetime. Not synced: phones get links, not rules.
    .get('/portal', requireRole(...ANY_ROLE), async (c) => c.json(await readSection(db, 'portal')))
    .put('/portal', requireRole('owner'), jsonBody(SECTIONS.portal.schema), async (c) =>
      c.json(await save(c, 'portal', c.req.valid('json'))),
    )

    .get('/holidays', requireRole(...ANY_ROLE), async (c) =>
      c.json(await readSection(db, 'holidays')),
    )
    .put('/holidays', requireRole('owner'), jsonBody(SECTIONS.holidays.schema), async (c) =>
      c.json(await save(c, 'holidays', c.req.valid('json'))),
    )

    .get('/templates', requireRole(...ANY_ROLE), async (c) => {
      const saved = await readSection(db, 'templates');
      const lintOptions = await lintOptionsOf();
      const list = [...effectiveTemplates(saved.value).values()].map((template) => ({
        template,
        source: templateSource(template),
        findings: lintTemplate(template, lintOptions),
      }));
      return c.json({ version: saved.version, templates: list });
    })
    .post('/templates/lint', requireRole('owner', 'staff'), jsonBody(TemplateSchema), async (c) => {
      const findings = lintTemplate(c.req.valid('json'), await lintOptionsOf());
      return c.json({
        ok: !hasLintErrors(findings),
        findings: v.parse(v.array(LintFindingSchema), findings),
      });
    })
    .put('/templates/:id', requireRole('owner'), jsonBody(TemplateSchema), async (c) => {
      const template = c.req.valid('json');
      if (template.id !== c.req.param('id'))
        throw invalid([{ field: 'id', message: 'o id do corpo deve ser o mesmo do endereço' }]);
      const findings = lintTemplate(template, await lintOptionsOf());
      if (hasLintErrors(findings)) return problemResponse(lintProblem(findings));
      const saved = await db.transaction(async (tx) => {
        const current = await readSection(tx, 'templates');
        const list = [...current.value.filter((t) => t.id !== template.id), template];
        const policy = (await readSection(tx, 'cadence')).value;
        const broken = stepTemplateProblems(policy, effectiveTemplates(list));
        if (broken.length > 0)
          throw invalid([
            { field: 'channel', message: `a régua usa este modelo: ${broken[0]?.message ?? ''}` },
          ]);
        return saveTemplates(tx, c, list, { templateId: template.id, op: 'save' });
      });
      return c.json({ template, findings, version: saved.version });
    })
    .delete('/templates/:id', requireRole('owner'), async (c) => {
      const id = c.req.param('id');
      const saved = await db.transaction(async (tx) => {
        const current = await readSection(tx, 'templates');
        if (!current.value.some((t) => t.id === id))
          throw problemError(problem(404, 'not-found', 'nenhum modelo salvo com este id'));
        const list = current.value.filter((t) => t.id !== id);
        const policy = (await readSection(tx, 'cadence')).value;
        if (stepTemplateProblems(policy, effectiveTemplates(list)).length > 0)
          throw problemError(
            problem(
              409,
              'template-in-use',
              'a régua usa este modelo; troque a etapa antes de apagá-lo',
            ),
          );
        return saveTemplates(tx, c, list, { templateId: id, op: 'reset' });
      });
      const template = effectiveTemplates(saved.value).get(id) ?? null;
      return c.json({ template, version: saved.version });
    });

  async function saveTemplates(
    tx: Tx,
    c: Context<AuthedEnv>,
    list: Template[],
    detail: { templateId: string; op: 'save' | 'reset' },
  ) {
    const expected = expectedVersion(c);
    const actor = c.get('user');
    const saved = await writeSection(tx, 'templates', list, {
      actorId: actor.id,
      now: now(),
      ...(expected === undefined ? {} : { expectedVersion: expected }),
    });
    if (!saved) throw stale();
    await recordSettingChange(tx, 'templates', saved.version);
    await audit(tx, {
      actor: actor.id,
      ip: c.get('ip'),
      action: 'settings.update',
      entity: 'settings',
      entityId: 'templates',
      detail: { ...detail, version: saved.version },
    });
    return saved;
  }

  return app;
}
