/**
 * The page's only stylesheet and only script, inline (one request for the whole first view) and
 * allowed by hash in the Content-Security-Policy: nothing else can run or style the page.
 * Mobile first, system fonts, contrast ≥ 4.5:1, targets ≥ 44 px.
 */
import { createHash } from 'node:crypto';
import { raw } from './html';

export const PORTAL_CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#f4f5f7}
a{color:#0b5cad}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.card>:first-child{margin-top:0}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px}
header,main,footer{max-width:40rem;margin:0 auto;padding:12px 16px}
header{background:#fff;border-bottom:1px solid #d5d9de}
header p{margin:0;font-size:.875rem;color:#444c56}
header .org{font-size:1.0625rem;font-weight:700;color:#1b1f24}
h1{font-size:1.375rem;line-height:1.3;margin:.5rem 0}
h2{font-size:1.1875rem;margin:1.5rem 0 .5rem}
h3{font-size:1.0625rem;margin:1rem 0 .25rem}
.card{background:#fff;border:1px solid #d5d9de;border-radius:8px;padding:12px 16px;margin:12px 0}
.note{color:#444c56;font-size:.9375rem}
.ok{background:#e7f5ec;border:1px solid #2f7d4b;border-radius:8px;padding:12px 16px}
.err{background:#fdecec;border:1px solid #b3261e;border-radius:8px;padding:12px 16px}
.err h2{margin-top:0;font-size:1.0625rem}
.field-error{color:#b3261e;font-weight:600;margin:.25rem 0}
label,legend{display:block;font-weight:600;margin:.75rem 0 .25rem}
.hint{margin:0 0 .25rem;color:#444c56;font-size:.875rem}
input[type=text],input[type=date],select,textarea{width:100%;font:inherit;padding:10px;border:1px solid #6b7480;border-radius:6px;background:#fff;min-height:44px}
input:focus,select:focus,textarea:focus,button:focus,summary:focus{outline:3px solid #0b5cad;outline-offset:2px}
fieldset{border:0;padding:0;margin:0}
.choice{display:flex;gap:10px;align-items:flex-start;padding:8px 0;border-bottom:1px solid #eceef1}
.choice input{width:22px;height:22px;margin:2px 0 0;flex:none}
.choice label{font-weight:400;margin:0}
button{font:inherit;font-weight:600;min-height:44px;padding:10px 18px;border-radius:6px;border:1px solid #0b5cad;background:#0b5cad;color:#fff;margin-top:12px;cursor:pointer}
button.link{background:#fff;color:#0b5cad}
details{background:#fff;border:1px solid #d5d9de;border-radius:8px;margin:8px 0}
summary{padding:12px 16px;font-weight:600;cursor:pointer;min-height:44px}
details>div{padding:0 16px 16px}
table{width:100%;border-collapse:collapse;font-size:.9375rem}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{text-align:left;padding:6px 4px;border-bottom:1px solid #eceef1}
td.n,th.n{text-align:right;white-space:nowrap}
tr.total th,tr.total td{font-weight:700;border-top:2px solid #1b1f24}
.qr{width:208px;height:208px;display:block;margin:8px 0}
textarea.pix{font-family:ui-monospace,monospace;font-size:.8125rem;word-break:break-all}
.tag{display:inline-block;padding:0 6px;border-radius:4px;background:#fff4d6;color:#5c4300;font-size:.8125rem}
footer{font-size:.875rem;color:#444c56}
`
  .trim()
  .replace(/\n/g, '');

/** Copy buttons (shown only when this runs): the page works fully without it. */
export const PORTAL_SCRIPT =
  "document.querySelectorAll('[data-copy]').forEach(function(b){b.hidden=false;b.addEventListener('click',function(){var t=document.getElementById(b.getAttribute('data-copy'));if(!t||!navigator.clipboard)return;navigator.clipboard.writeText(t.value).then(function(){b.textContent=b.getAttribute('data-done')})})})";

/**
 * The tags exactly as the page carries them: built here, outside any formatted template, because
 * the CSP hash covers every character between the tags (a reformatted newline would void it).
 */
export const STYLE_TAG = raw(`<style>${PORTAL_CSS}</style>`);
export const SCRIPT_TAG = raw(`<script>${PORTAL_SCRIPT}</script>`);

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The Content-Security-Policy of every page response: only the inline style and script above. */
export function portalCsp(withScript: boolean): string {
  return [
    "default-src 'none'",
    `style-src ${hash(PORTAL_CSS)}`,
    `script-src ${withScript ? hash(PORTAL_SCRIPT) : "'none'"}`,
    'img-src data:',
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}
