/**
 * Table-driven checks of the pure parts of operations: which peers are trusted proxies, what the
 * log scrubber hides, backup file names and retention, the daily backup time in the
 * organisation's zone, the epoch a restore sets.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { backupFileName, detectBackupKind, listBackups, pruneBackups } from './backup/files';
import { restoreEpochFloor } from './backup/pglite-backup';
import { splitPassword } from './backup/postgres-tools';
import { nextRunAt } from './backup/scheduler';
import { parseTrustedProxies } from './forwarded';
import { prettyLine, scrubLogLine, scrubPersonalData } from './logger';
import { readOpsEnv } from './ops-env';
import { backupLevel } from './server-state.routes';

describe('trusted proxies', () => {
  const trust = parseTrustedProxies('127.0.0.1, 10.0.0.0/8, ::1, fd00::/8');
  test.each([
    ['127.0.0.1', true],
    ['::ffff:127.0.0.1', true],
    ['127.0.0.2', false],
    ['10.20.30.40', true],
    ['11.0.0.1', false],
    ['::1', true],
    ['fd12::5', true],
    ['2001:db8::1', false],
    ['', false],
    ['not-an-ip', false],
  ])('%s → %s', (address, trusted) => {
    expect(trust.trusts(address)).toBe(trusted);
  });
  test('loopback shorthand, empty list, and bad entries', () => {
    expect(parseTrustedProxies('loopback').trusts('127.9.9.9')).toBe(true);
    expect(parseTrustedProxies('').trusts('127.0.0.1')).toBe(false);
    expect(() => parseTrustedProxies('10.0.0.0/33')).toThrow(/prefixo inválido/);
    expect(() => parseTrustedProxies('caddy')).toThrow(/inválid/);
  });
  test('environment: legacy QUITA_TRUST_PROXY=1 means loopback; TLS files go together', () => {
    expect(readOpsEnv({ QUITA_TRUST_PROXY: '1' }).trustedProxies.description).toBe(
      '127.0.0.0/8, ::1',
    );
    expect(readOpsEnv({}).trustedProxies.description).toBe('none');
    expect(() => readOpsEnv({ QUITA_TLS_CERT: '/c.pem' })).toThrow(/QUITA_TLS_KEY/);
    expect(() => readOpsEnv({ QUITA_BACKUP_AT: '25:00' })).toThrow(/QUITA_BACKUP_AT/);
    expect(readOpsEnv({ QUITA_BACKUP_AT: 'off' }).backupAt).toBeNull();
    expect(readOpsEnv({})).toMatchObject({
      backupKeep: 14,
      backupAt: '03:00',
      backupDir: './backups',
    });
    expect(() => readOpsEnv({ QUITA_METRICS_TOKEN: 'short' })).toThrow(/16 caracteres/);
  });
});

describe('log scrubbing', () => {
  test.each([
    ['login failed for maria.souza@exemplo.com.br', 'login failed for [e-mail]'],
    ['CPF 123.456.789-09 and 12345678909', 'CPF [documento] and [documento]'],
    ['CNPJ 11.222.333/0001-81', 'CNPJ [documento]'],
    ['call +55 11 98765-4321 or (19) 99876-5432', 'call [telefone] or [telefone]'],
    ['Authorization: Bearer abc.def-123', 'Authorization: Bearer [token]'],
    ['/setup?token=s3cr3t&x=1', '/setup?token=[oculto]&x=1'],
    [
      'request 0190f3a2-1234-7abc-8def-123456789012 done',
      'request 0190f3a2-1234-7abc-8def-123456789012 done',
    ],
    ['took 1234 ms for 20 rows', 'took 1234 ms for 20 rows'],
  ])('%s', (input, output) => {
    expect(scrubPersonalData(input)).toBe(output);
  });
  test('a JSON line keeps its shape; secret keys are dropped; the setup link is kept', () => {
    const line = JSON.stringify({
      level: 'info',
      time: '2026-12-07T10:00:00.000Z',
      reqId: '0190f3a2-1234-7abc-8def-123456789012',
      msg: 'x',
      password: 'hunter2 hunter2',
      nested: { to: 'a@b.com', n: 12345678909 },
      setupLink: 'http://h/setup?token=abc',
    });
    expect(JSON.parse(scrubLogLine(line))).toEqual({
      level: 'info',
      time: '2026-12-07T10:00:00.000Z',
      reqId: '0190f3a2-1234-7abc-8def-123456789012',
      msg: 'x',
      password: '[oculto]',
      nested: { to: '[e-mail]', n: 12345678909 },
      setupLink: 'http://h/setup?token=abc',
    });
  });
  test('a terminal shows the setup link on a line of its own, ready to copy', () => {
    const line = JSON.stringify({
      level: 'info',
      time: '2026-12-07T10:00:00.000Z',
      pid: 1,
      msg: 'no users yet',
      setupLink: 'http://127.0.0.1:8787/setup?token=abc',
    });
    expect(prettyLine(line)).toBe(
      '10:00:00 info  no users yet\n               http://127.0.0.1:8787/setup?token=abc\n',
    );
  });
});

describe('backup files and schedule', () => {
  test('names, kinds and retention of managed backups only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quita-files-'));
    try {
      const at = (i: number) => new Date(Date.UTC(2026, 11, 1 + i, 6, 0, 0));
      expect(backupFileName('pglite', at(0))).toBe('quita-20261201T060000Z.pglite.tar.gz');
      expect(backupFileName('postgres', at(0))).toBe('quita-20261201T060000Z.pgdump');
      for (let i = 0; i < 20; i++)
        writeFileSync(join(dir, backupFileName('pglite', at(i))), Buffer.from([0x1f, 0x8b, 8]));
      writeFileSync(join(dir, 'my-own-copy.pglite.tar.gz'), 'x');
      writeFileSync(join(dir, 'x.pgdump'), 'PGDMP...');
      const pruned = pruneBackups(dir, 14);
      expect(pruned).toHaveLength(6);
      expect(listBackups(dir)[0]?.name).toBe('quita-20261220T060000Z.pglite.tar.gz');
      expect(listBackups(dir).at(-1)?.name).toBe('quita-20261207T060000Z.pglite.tar.gz');
      expect(readdirSync(dir)).toContain('my-own-copy.pglite.tar.gz');
      expect(detectBackupKind(join(dir, listBackups(dir)[0]?.name ?? ''))).toBe('pglite');
      expect(detectBackupKind(join(dir, 'x.pgdump'))).toBe('postgres');
      expect(detectBackupKind(join(dir, 'my-own-copy.pglite.tar.gz'))).toBe('unknown');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test.each([
    // São Paulo is UTC−3: 03:00 there is 06:00Z.
    ['2026-12-07T05:59:00Z', '03:00', 'America/Sao_Paulo', '2026-12-07T06:00:00.000Z'],
    ['2026-12-07T06:00:00Z', '03:00', 'America/Sao_Paulo', '2026-12-08T06:00:00.000Z'],
    ['2026-12-07T23:30:00Z', '23:45', 'America/Sao_Paulo', '2026-12-08T02:45:00.000Z'],
    ['2026-12-07T01:00:00Z', '00:30', 'America/Manaus', '2026-12-07T04:30:00.000Z'],
  ])('next backup after %s at %s (%s) is %s', (now, at, zone, expected) => {
    expect(nextRunAt(new Date(now), at, zone).toISOString()).toBe(expected);
  });
  test('the restore epoch is above the live one and the clock floor', () => {
    const now = new Date('2026-12-07T00:00:00Z');
    const floor = restoreEpochFloor(now, 3);
    expect(floor).toBe(Math.floor((now.getTime() - Date.UTC(2026, 0, 1)) / 1000));
    expect(restoreEpochFloor(now, floor + 50)).toBe(floor + 50);
    expect(floor).toBeLessThan(2 ** 31);
  });
  test('the PostgreSQL password never goes on the command line', () => {
    expect(splitPassword('postgres://quita:s%40nha@db:5432/quita')).toEqual({
      url: 'postgres://quita@db:5432/quita',
      password: 's@nha',
    });
  });
  test.each([
    [null, false, true, 'amber'],
    [null, false, false, 'red'],
    [3_600_000, false, true, 'green'],
    [31 * 3_600_000, false, true, 'amber'],
    [49 * 3_600_000, false, true, 'red'],
    [3_600_000, true, true, 'red'],
  ] as const)(
    'backup age %s ms, last failed %s, scheduled %s → %s',
    (age, failed, scheduled, level) => {
      const now = new Date('2026-12-07T12:00:00Z');
      const last = age === null ? null : new Date(now.getTime() - age);
      expect(backupLevel(last, failed, now, scheduled)).toBe(level);
    },
  );
});
