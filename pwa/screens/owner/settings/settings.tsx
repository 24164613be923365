/**
 * Settings: the creditor identity and PIX key, the message templates (linter findings and SMS
 * segments as you type), the steps of the régua and the contact windows, and the negotiation
 * policy, and how long a link of the debtor's page works. Owners edit, staff read. Each form marks the page dirty while it holds edits and saves
 * with the version it read (If-Match), so a concurrent change is refused, never overwritten.
 */
import { t } from '../../../i18n/messages';
import { CadenceSection } from './cadence-section';
import { NegotiationForm } from './negotiation-form';
import { OrganisationForm } from './organisation-form';
import { PortalForm } from './portal-form';
import { TemplateEditor } from './template-editor';

export function Settings() {
  return (
    <section>
      <h1 tabIndex={-1}>{t('settings.title')}</h1>
      <OrganisationForm />
      <TemplateEditor />
      <CadenceSection />
      <NegotiationForm />
      <PortalForm />
    </section>
  );
}
