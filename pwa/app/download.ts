/**
 * Downloads a file the API answers (a CSV export, the import template) with the session's token:
 * an `<a href>` cannot carry the Authorization header, so the file is fetched, held as a Blob and
 * saved under the name the server gives in Content-Disposition.
 */
import { ApiError, authHeaders, failure } from './api';
import { t } from '../i18n/messages';

function filenameOf(disposition: string | null, fallback: string): string {
  const match = /filename="([^"]+)"/.exec(disposition ?? '');
  return match?.[1] ?? fallback;
}

/** Saves a Blob under `name` (the browser's download). */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Fetches `path` with the session and saves it; answers the file name. */
export async function downloadFile(path: string, fallback: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(path, { headers: authHeaders() });
  } catch {
    throw new ApiError(0, 'network', t('error.network'), null);
  }
  if (!res.ok) throw await failure(res);
  const name = filenameOf(res.headers.get('content-disposition'), fallback);
  saveBlob(await res.blob(), name);
  return name;
}
