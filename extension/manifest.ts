/**
 * The MV3 manifest, as data. Host access is exactly Gmail, WhatsApp Web and a local Quita server
 * (`quita serve` defaults to localhost); any other server origin is requested at sign-in from the
 * optional permissions. The overlay page is web-accessible only to those two sites and only
 * through the per-session dynamic URL, so pages cannot probe for it by a fixed address.
 */
export const SITE_MATCHES = ['https://mail.google.com/*', 'https://web.whatsapp.com/*'] as const;

export function buildManifest(version: string): Record<string, unknown> {
  return {
    manifest_version: 3,
    name: 'Quita: cobrança amigável',
    short_name: 'Quita',
    description: 'Situação do cliente e mensagens de cobrança prontas no Gmail e no WhatsApp Web.',
    version,
    minimum_chrome_version: '116',
    background: { service_worker: 'service-worker.js', type: 'module' },
    permissions: ['storage'],
    host_permissions: [...SITE_MATCHES, 'http://localhost/*', 'http://127.0.0.1/*'],
    optional_host_permissions: ['https://*/*'],
    content_scripts: [
      {
        matches: ['https://mail.google.com/*'],
        js: ['content-gmail.js'],
        run_at: 'document_idle',
        all_frames: false,
      },
      {
        matches: ['https://web.whatsapp.com/*'],
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
