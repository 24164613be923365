/** A QR code as one SVG path (no innerHTML; crisp at any size), for PIX codes and sign-in links. */
import { useMemo } from 'preact/hooks';
import qrcode from 'qrcode-generator';

export function QrSvg({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const { size, d } = useMemo(() => {
    const qr = qrcode(0, 'M');
    qr.addData(text);
    qr.make();
    const count = qr.getModuleCount();
    let path = '';
    // One rectangle per horizontal run of dark modules: a shorter path and no seams between cells.
    for (let r = 0; r < count; r++)
      for (let c = 0; c < count; c++) {
        if (!qr.isDark(r, c)) continue;
        let run = 1;
        while (c + run < count && qr.isDark(r, c + run)) run++;
        path += `M${c + 4} ${r + 4}h${run}v1h-${run}z`;
        c += run - 1;
      }
    return { size: count + 8, d: path };
  }, [text]);
  return (
    <svg
      class="qr"
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={label}
      shape-rendering="crispEdges"
      data-testid={testId}
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
