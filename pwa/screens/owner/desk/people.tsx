/**
 * Pessoas (owner): the team, adding a collector, staff member or owner (the password is checked
 * as it is typed and again by the server), changing a role, deactivating and reactivating, a
 * one-time link to set a new password (the owner sends it; it works once, for 24 hours), and each
 * person's sessions, extension tokens and phones, any of which can be cut off.
 */
import { useState } from 'preact/hooks';
import { ROLES } from '#shared/auth/user.schema';
import { api, errorMessage } from '../../../app/api';
import { session } from '../../../app/session';
import { dateTime } from '../../../i18n/format';
import { t, type MessageKey } from '../../../i18n/messages';
import { Failure, Loading, useLoad } from '../../../ui/async';
import { Access } from './people-access';
import { PasswordField } from './password-field';
import { SignInQr } from '../guide/sign-in-qr';
import './desk.css';

interface User {
  id: string;
  email: string;
  name: string;
  role: (typeof ROLES)[number];
  active: boolean;
}

type Notice = { ok: boolean; text: string } | null;

function NoticeView({ notice }: { notice: Notice }) {
  if (!notice) return null;
  return (
    <p class={`notice ${notice.ok ? 'ok' : 'error'}`} role={notice.ok ? 'status' : 'alert'}>
      {notice.text}
    </p>
  );
}

function AddPerson({ reload }: { reload: () => void }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<User['role']>('collector');
  const [password, setPassword] = useState('');
  const [notice, setNotice] = useState<Notice>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setNotice(null);
    try {
      await api('POST', '/api/users', { json: { name, email, role, password } });
      setNotice({ ok: true, text: t('people.created') });
      setName('');
      setEmail('');
      setPassword('');
      reload();
    } catch (err) {
      setNotice({ ok: false, text: errorMessage(err) });
    }
  };
  return (
    <div class="desk-card">
      <h2>{t('people.add')}</h2>
      <form onSubmit={(e) => void submit(e)}>
        <label for="np-name">{t('people.name')}</label>
        <input id="np-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <label for="np-email">{t('people.email')}</label>
        <input
          id="np-email"
          type="email"
          autocomplete="off"
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
        <label for="np-role">{t('people.role')}</label>
        <select
          id="np-role"
          value={role}
          onChange={(e) => setRole(e.currentTarget.value as User['role'])}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}` as MessageKey)}
            </option>
          ))}
        </select>
        <PasswordField
          id="np-password"
          label={t('people.password')}
          hint={t('people.passwordHint')}
          value={password}
          onInput={setPassword}
          personal={[name, email]}
        />
        <button type="submit" class="primary">
          {t('people.create')}
        </button>
      </form>
      <NoticeView notice={notice} />
    </div>
  );
}

function Person({ user, reload }: { user: User; reload: () => void }) {
  const [notice, setNotice] = useState<Notice>(null);
  const [link, setLink] = useState<{ url: string; expiresAt: string } | null>(null);
  const [showAccess, setShowAccess] = useState(false);
  const me = session.value?.user.id === user.id;
  const patch = async (json: Record<string, unknown>) => {
    setNotice(null);
    try {
      await api('PATCH', `/api/users/${user.id}`, { json });
      setNotice({ ok: true, text: t('people.saved') });
      reload();
    } catch (e) {
      setNotice({ ok: false, text: errorMessage(e) });
    }
  };
  const reset = async () => {
    setNotice(null);
    try {
      const r = await api<{ path: string; expiresAt: string }>(
        'POST',
        `/api/users/${user.id}/password-reset`,
      );
      setLink({ url: `${location.origin}${r.path}`, expiresAt: r.expiresAt });
    } catch (e) {
      setNotice({ ok: false, text: errorMessage(e) });
    }
  };
  const roleId = `role-${user.id.slice(-8)}`;
  return (
    <li class="person" data-testid={`person-${user.email}`}>
      <strong>{user.name}</strong> {me ? <span class="muted">{t('people.you')}</span> : null}
      <br />
      <span class="small muted">
        {user.email} · {user.active ? t('people.active') : t('people.inactive')}
      </span>
      <div class="row">
        <label for={roleId}>{t('people.changeRole')}</label>
        <select
          id={roleId}
          value={user.role}
          onChange={(e) => void patch({ role: e.currentTarget.value })}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}` as MessageKey)}
            </option>
          ))}
        </select>
      </div>
      <div class="tap-row">
        <button type="button" onClick={() => void patch({ active: !user.active })}>
          {user.active ? t('people.deactivate') : t('people.activate')}
        </button>
        {user.active ? (
          <button type="button" onClick={() => void reset()}>
            {t('people.reset')}
          </button>
        ) : null}
        <button type="button" aria-expanded={showAccess} onClick={() => setShowAccess(!showAccess)}>
          {showAccess ? t('people.hideAccess') : t('people.access')}
        </button>
      </div>
      {user.active && user.role !== 'owner' ? <SignInQr userId={user.id} name={user.name} /> : null}
      {link ? (
        <div role="status">
          <p class="small">
            {t('people.resetLink')} {dateTime(link.expiresAt)}):
          </p>
          <p class="link-box" data-testid="reset-link">
            {link.url}
          </p>
          <button
            type="button"
            onClick={() =>
              void navigator.clipboard
                ?.writeText(link.url)
                .then(() => setNotice({ ok: true, text: t('people.copied') }))
            }
          >
            {t('people.copy')}
          </button>
        </div>
      ) : null}
      <NoticeView notice={notice} />
      {showAccess ? <Access userId={user.id} /> : null}
    </li>
  );
}

export function People() {
  const [users, reload] = useLoad(() => api<User[]>('GET', '/api/users'));
  return (
    <section class="desk people">
      <h1 tabIndex={-1}>{t('people.title')}</h1>
      <div class="desk-grid">
        <div>
          <h2>{t('people.list')}</h2>
          {users.state === 'loading' ? <Loading /> : null}
          {users.state === 'error' ? <Failure message={users.message} retry={reload} /> : null}
          {users.state === 'ready' ? (
            <ul class="person-list">
              {users.value.map((u) => (
                <Person key={`${u.id}:${u.role}:${u.active}`} user={u} reload={reload} />
              ))}
            </ul>
          ) : null}
        </div>
        <div>
          <AddPerson reload={reload} />
        </div>
      </div>
    </section>
  );
}
