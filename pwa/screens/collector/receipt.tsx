/**
 * The receipt a customer keeps: the creditor as the law names it (razão social, formatted
 * CPF/CNPJ, address), the amount and how it was paid, what is left to pay, the collector, the
 * receipt number and the date and time, and whether the office has confirmed it yet. Shared as an
 * image (a PNG drawn here, no library) when the phone can share files, else as text; saved as an
 * image or copied as text otherwise (sharing and the clipboard API need a secure context).
 */
import { useState } from 'preact/hooks';
import { brl, date as fmtDate } from '../../i18n/format';
import { t, type MessageKey } from '../../i18n/messages';
import { copyText } from '../../ui/clipboard';

export interface ReceiptData {
  number: string;
  creditor: { name: string; document: string | null; address: string | null };
  debtorName: string;
  amount: number;
  method: string;
  reference: string;
  /** What the debtor still owes after this payment (never below zero). */
  remaining: number;
  collectorName: string;
  day: string;
  /** Local time of the receipt, "14:05". */
  time: string;
}

/** Where the payment stands: saved on the phone, waiting for the office, or confirmed. */
export type ReceiptState = 'unsent' | 'pending' | 'confirmed' | 'rejected';

const STATE: Record<ReceiptState, MessageKey> = {
  unsent: 'receipt.unsent',
  pending: 'receipt.pending',
  confirmed: 'receipt.confirmed',
  rejected: 'receipt.rejected',
};

/** The receipt as lines of text (the same lines the image draws). */
export function receiptLines(r: ReceiptData, state: ReceiptState): string[] {
  return [
    `${t('payment.receipt')} ${r.number}`,
    r.creditor.name,
    ...(r.creditor.document ? [r.creditor.document] : []),
    ...(r.creditor.address ? [r.creditor.address] : []),
    '',
    `${t('payment.receiptText')} ${r.debtorName}`,
    `${t('receipt.amount')}: ${brl(r.amount)} (${t(`payment.${r.method}` as MessageKey) ?? ''})`,
    ...(r.reference ? [`${t('receipt.reference')}: ${r.reference}`] : []),
    `${t('receipt.remaining')}: ${brl(r.remaining)}`,
    '',
    `${t('receipt.collector')}: ${r.collectorName}`,
    `${fmtDate(r.day)} ${t('receipt.at')} ${r.time}`,
    t(STATE[state]),
  ];
}

/** The receipt drawn as a PNG (white paper, black text), for sharing as a picture. */
export async function receiptImage(lines: readonly string[]): Promise<Blob | null> {
  const scale = 2;
  const width = 360;
  const lineHeight = 22;
  const canvas = document.createElement('canvas');
  canvas.width = width * scale;
  canvas.height = (lines.length * lineHeight + 32) * scale;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.scale(scale, scale);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, canvas.height);
  ctx.fillStyle = '#1b1f23';
  lines.forEach((line, i) => {
    ctx.font = i === 0 ? 'bold 17px system-ui, sans-serif' : '15px system-ui, sans-serif';
    ctx.fillText(line, 16, 28 + i * lineHeight, width - 32);
  });
  return new Promise((done) => canvas.toBlob(done, 'image/png'));
}

export function ReceiptCard({ receipt, state }: { receipt: ReceiptData; state: ReceiptState }) {
  const [note, setNote] = useState<string | null>(null);
  const lines = receiptLines(receipt, state);
  const text = lines.join('\n');
  const title = `${t('payment.receipt')} ${receipt.number}`;
  async function share() {
    setNote(null);
    const image = await receiptImage(lines);
    const file = image
      ? new File([image], `recibo-${receipt.number}.png`, { type: 'image/png' })
      : null;
    try {
      if (file && navigator.canShare?.({ files: [file] })) {
        await navigator.share({ title, text, files: [file] });
        return;
      }
      if (navigator.share) {
        await navigator.share({ title, text });
        return;
      }
    } catch (error) {
      // The collector closed the share sheet: nothing to say.
      if ((error as { name?: string } | null)?.name === 'AbortError') return;
    }
    setNote((await copyText(text)) ? t('payment.copied') : t('receipt.copyFailed'));
  }
  async function save() {
    const image = await receiptImage(lines);
    if (!image) return;
    const url = URL.createObjectURL(image);
    const a = document.createElement('a');
    a.href = url;
    a.download = `recibo-${receipt.number}.png`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return (
    <div data-testid="receipt" class="receipt-card">
      <pre class="receipt" aria-label={title}>
        {text}
      </pre>
      <div class="contact-actions">
        <button type="button" class="primary" onClick={() => void share()}>
          {t('payment.share')}
        </button>
        <button type="button" onClick={() => void save()}>
          {t('receipt.saveImage')}
        </button>
        <button
          type="button"
          onClick={() =>
            void copyText(text).then((ok) =>
              setNote(ok ? t('payment.copied') : t('receipt.copyFailed')),
            )
          }
        >
          {t('receipt.copy')}
        </button>
      </div>
      {note ? (
        <p class="small" role="status">
          {note}
        </p>
      ) : null}
    </div>
  );
}
