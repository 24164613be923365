/**
 * The baseline server of the out-of-process benchmarks: a separate Node process serving bare Hono
 * routes with @hono/node-server, exactly as `quita serve` serves the app, so a figure beside it is
 * what Quita's own work costs per request on top of HTTP, Hono and JSON. Run by ./server-process.ts
 * (`node --import tsx test/bench/bare-server.ts`); prints its URL like `quita serve` does.
 *
 * - POST /x parses the JSON body (a real route cannot do less) and answers `{"ok":true}`;
 * - GET /x answers `{}`.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono()
  .post('/x', async (c) => {
    await c.req.json();
    return c.json({ ok: true });
  })
  .get('/x', (c) => c.json({}));

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
// Its keep-alive sockets sit idle while the bench measures the real server (tens of seconds on a
// loaded machine); with Node's 5 s default the server closed them as the next round reused them
// ("other side closed"). Idle time here is not what the baseline measures.
(server as unknown as { keepAliveTimeout: number }).keepAliveTimeout = 600_000;
server.once('listening', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`bare: listening on http://127.0.0.1:${port}`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.once(signal, () => server.close(() => process.exit(0)));
