/**
 * HTTPS without a proxy: `quita serve --tls-cert FILE --tls-key FILE` (or QUITA_TLS_CERT /
 * QUITA_TLS_KEY) for a shop that already has a certificate (a company CA, or certbot on the same
 * machine). PEM files; the chain file may hold intermediates after the leaf. The files are
 * re-read when they change (checked every 10 minutes, and on SIGHUP), so a renewed certificate
 * is served without a restart.
 */
import { readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { createSecureContext } from 'node:tls';

export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

/** Reads and checks the PEM files; throws a pt-BR message naming the bad one. */
export function readTls(files: TlsFiles): { cert: Buffer; key: Buffer } {
  const read = (path: string, what: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new Error(`${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? 'ilegível'}`);
    }
  };
  const cert = read(files.certFile, '--tls-cert');
  const key = read(files.keyFile, '--tls-key');
  if (!cert.toString('latin1').includes('-----BEGIN CERTIFICATE-----'))
    throw new Error(`--tls-cert ${files.certFile}: não é um certificado PEM`);
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key.toString('latin1')))
    throw new Error(`--tls-key ${files.keyFile}: não é uma chave privada PEM`);
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    throw new Error(
      `--tls-cert/--tls-key: o certificado e a chave não combinam (${(error as Error).message})`,
    );
  }
  return { cert, key };
}

/** What @hono/node-server's `serve` needs to listen with HTTPS. */
export function httpsServerOptions(files: TlsFiles) {
  return { createServer, serverOptions: readTls(files) } as const;
}

/** Reloads the certificate into `server` when its files change; returns a stop function. */
export function watchTls(
  server: Server,
  files: TlsFiles,
  onReload: (error?: unknown) => void,
): () => void {
  const stamp = () => `${statSync(files.certFile).mtimeMs}:${statSync(files.keyFile).mtimeMs}`;
  let seen = stamp();
  const check = (force: boolean) => {
    try {
      const now = stamp();
      if (!force && now === seen) return;
      server.setSecureContext(readTls(files));
      seen = now;
      onReload();
    } catch (error) {
      onReload(error);
    }
  };
  const timer = setInterval(() => check(false), 10 * 60_000);
  timer.unref();
  const onHup = () => check(true);
  process.on('SIGHUP', onHup);
  return () => {
    clearInterval(timer);
    process.off('SIGHUP', onHup);
  };
}
