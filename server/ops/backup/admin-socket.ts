/**
 * The running server's admin door for `quita backup` and `quita restore` on the embedded
 * database: a Unix socket beside the data directory (`<dataDir>.sock`, mode 0600), so only the
 * operating-system user that runs the server (or root) can use it — no password, no port, nothing
 * reachable from the network. Two calls, JSON in and out:
 *
 *   POST /backup  {"file"?: "/abs/path"}  → BackupResult
 *   POST /restore {"file": "/abs/path"}   → RestoreResult
 *   POST /demo    {"debtors"?: n, "force"?: true} → DemoSummary (`quita demo`, server/demo/load-demo.ts)
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { request, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';

/** Where the admin socket of the server using `dataDir` lives. */
export function adminSocketPath(dataDir: string): string {
  const beside = `${dataDir}.sock`;
  // sun_path holds 107 bytes; long data paths use a private folder in the temp dir instead.
  if (Buffer.byteLength(beside) < 100) return beside;
  const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 24);
  const dir = join(tmpdir(), `quita-${process.getuid?.() ?? 'u'}`);
  return join(dir, `${hash}.sock`);
}

export interface AdminHandlers {
  backup(file: string | undefined): Promise<unknown>;
  restore(file: string): Promise<unknown>;
  /** Loads the demo portfolio; the body is checked by the handler. */
  demo(body: unknown): Promise<unknown>;
}

function answersOn(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts the admin socket for `dataDir`; resolves to a function that closes it. */
export async function startAdminSocket(
  dataDir: string,
  handlers: AdminHandlers,
): Promise<() => Promise<void>> {
  const path = adminSocketPath(dataDir);
  if (path !== `${dataDir}.sock`) mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  if (existsSync(path)) {
    if (await answersOn(path)) throw new Error(`another server answers on ${path}`);
    rmSync(path, { force: true }); // left by a server that crashed
  }
  const app = new Hono()
    .post('/backup', async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as { file?: unknown };
      try {
        return c.json(await handlers.backup(typeof body.file === 'string' ? body.file : undefined));
      } catch (error) {
        return c.json({ error: (error as Error).message }, 500);
      }
    })
    .post('/restore', async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as { file?: unknown };
      if (typeof body.file !== 'string') return c.json({ error: 'file is required' }, 400);
      try {
        return c.json(await handlers.restore(body.file));
      } catch (error) {
        return c.json({ error: (error as Error).message }, 500);
      }
    })
    .post('/demo', async (c) => {
      const body: unknown = await c.req.json().catch(() => ({}));
      try {
        return c.json(await handlers.demo(body));
      } catch (error) {
        return c.json({ error: (error as Error).message }, 500);
      }
    });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  // Backups and restores of a big database take minutes.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o600);
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => {
        rmSync(path, { force: true });
        resolve();
      });
    });
}

/** Calls the admin socket of the server using `dataDir`. */
export function callAdminSocket<T>(
  dataDir: string,
  path: '/backup' | '/restore' | '/demo',
  body: object,
): Promise<T> {
  const socketPath = adminSocketPath(dataDir);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath,
        path,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            return reject(new Error(`resposta inválida do servidor: ${text.slice(0, 200)}`));
          }
          if (res.statusCode === 200) resolve(parsed as T);
          else reject(new Error((parsed as { error?: string }).error ?? `erro ${res.statusCode}`));
        });
      },
    );
    req.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `o servidor que usa ${dataDir} não respondeu em ${socketPath} (${error.code ?? error.message})`,
        ),
      ),
    );
    req.end(payload);
  });
}
