/**
 * The cadence policy's two editors: the steps of the régua and the contact windows. Both are
 * parts of ONE versioned document on the server, so they share the last saved copy and its
 * version here: a save by one form moves the version for the other without touching its draft,
 * and the steps form sends the rest of the policy as last saved, never an older copy.
 */
import { useState } from 'preact/hooks';
import { api } from '../../../app/api';
import { Failure, Loading, useLoad } from '../../../ui/async';
import type { TemplateRef } from './cadence-form-model';
import type { PolicySection } from './form-bits';
import { StepsForm } from './steps-form';
import { WindowsForm } from './windows-form';
import './settings.css';

export function CadenceSection() {
  const [loaded, reload] = useLoad(() =>
    Promise.all([
      api<PolicySection>('GET', '/api/settings/cadence'),
      api<{ templates: { template: TemplateRef }[] }>('GET', '/api/settings/templates'),
    ]),
  );
  if (loaded.state === 'loading') return <Loading />;
  if (loaded.state === 'error') return <Failure message={loaded.message} retry={reload} />;
  const [policy, list] = loaded.value;
  return (
    <CadenceForms
      initial={policy}
      templates={list.templates.map(({ template }) => ({
        id: template.id,
        channel: template.channel,
      }))}
      reload={reload}
    />
  );
}

function CadenceForms({
  initial,
  templates,
  reload,
}: {
  initial: PolicySection;
  templates: TemplateRef[];
  reload: () => void;
}) {
  const [saved, setSaved] = useState(initial);
  return (
    <>
      <StepsForm saved={saved} onSaved={setSaved} reload={reload} templates={templates} />
      <WindowsForm saved={saved} onSaved={setSaved} reload={reload} />
    </>
  );
}
