/**
 * The records the server refused, in the sync line: each one's kind and the server's reason in
 * words, linking to its debtor. Loaded only when there is one (with the words of sync outcomes),
 * so Today's first screen never carries them.
 */
import type { RejectedItem } from '../models/merge';
import { num } from '../i18n/format';
import { t } from '../i18n/messages';
import { reasonText, typeLabel } from '../i18n/messages-sync';

export function RejectedList({ items }: { items: readonly RejectedItem[] }) {
  return (
    <details class="rejected" data-testid="sync-rejected" open>
      <summary>
        {num(items.length)} {t('sync.rejected')}
      </summary>
      <ul>
        {items.map((r) => (
          <li key={r.mutation_id}>
            <a href={`/cliente?id=${encodeURIComponent(r.debtor_id)}`}>{typeLabel(r.type)}</a>:{' '}
            {reasonText(r.reason)}
          </li>
        ))}
      </ul>
    </details>
  );
}
