/**
 * The MV3 manifest, as data. Host access is exactly Gmail, Outlook on the web, WhatsApp Web and a
 * local Quita server (`quita serve` defaults to localhost); any other server origin is requested
 * at sign-in from the optional permissions. The overlay page is web-accessible only to those
 * sites and only through the per-session dynamic URL, so pages cannot probe for it by a fixed
 * address. `alarms` retries the revocation of a token signed out while the server was down.
 */
export const GMAIL_MATCHES = ['https://mail.google.com/*'] as const;
export const OUTLOOK_MATCHES = [
  'https://outlook.office.com/*',
  'https://outlook.office365.com/*',
  'https://outlook.live.com/*',
] as const;
export const WHATSAPP_MATCHES = ['https://web.whatsapp.com/*'] as const;
export const SITE_MATCHES = [...GMAIL_MATCHES, ...OUTLOOK_MATCHES, ...WHATSAPP_MATCHES] as const;

export function buildManifest(version: string): Record<string, unknown> {
  return {
    manifest_version: 3,
    name: 'Quita: cobrança amigável',
    short_name: 'Quita',
    description:
      'Situação do cliente e mensagens de cobrança prontas no Gmail, no Outlook e no WhatsApp Web.',
    version,
    minimum_chrome_version: '116',
    background: { service_worker: 'service-worker.js', type: 'module' },
    permissions: ['storage', 'alarms'],
    host_permissions: [...SITE_MATCHES, 'http://localhost/*', 'http://127.0.0.1/*'],
    optional_host_permissions: ['https://*/*'],
    content_scripts: [
      {
        matches: [...GMAIL_MATCHES],
        js: ['content-gmail.js'],
        run_at: 'document_idle',
        all_frames: false,
      },
      {
        matches: [...OUTLOOK_MATCHES],
        js: ['content-outlook.js'],
        run_at: 'document_idle',
        all_frames: false,
      },
      {
        matches: [...WHATSAPP_MATCHES],
        js: ['content-whatsapp.js'],
        run_at: 'document_idle',
        all_frames: false,
      },
    ],
    web_accessible_resources: [
      {
        resources: ['overlay.html', 'assets/*'],
        matches: [...SITE_MATCHES],
        use_dynamic_url: true,
      },
    ],
    action: { default_title: 'Quita', default_popup: 'popup.html' },
    options_ui: { page: 'options.html', open_in_tab: true },
    content_security_policy: { extension_pages: "script-src 'self'; object-src 'self'" },
  };
}
