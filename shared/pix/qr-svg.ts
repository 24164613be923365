/**
 * A QR code as one SVG path: one rectangle per horizontal run of dark modules (a short path, no
 * seams between cells), with the 4-module quiet zone the QR standard asks for. Error correction M,
 * as banking apps expect for BR Codes. Pure: the server renders it into HTML, a screen into JSX.
 */
import qrcode from 'qrcode-generator';

/** The QR of `text`: the viewBox side (modules + quiet zone) and the path of its dark modules. */
export function qrModulesPath(text: string): { size: number; d: string } {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const count = qr.getModuleCount();
  let d = '';
  for (let r = 0; r < count; r++)
    for (let c = 0; c < count; c++) {
      if (!qr.isDark(r, c)) continue;
      let run = 1;
      while (c + run < count && qr.isDark(r, c + run)) run++;
      d += `M${c + 4} ${r + 4}h${run}v1h-${run}z`;
      c += run - 1;
    }
  return { size: count + 8, d };
}
