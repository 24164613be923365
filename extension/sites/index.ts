/** The site adapters, one per host (each content script imports only its own). */
export type { SiteAdapter } from './adapter';
export { editableText } from './dom';
export * from './gmail';
export * from './outlook';
export * from './whatsapp';
