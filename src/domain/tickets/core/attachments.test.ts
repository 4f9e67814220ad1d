import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { safeFileName, sniffImage } from './attachments';

describe('attachments', () => {
  it('recognises images by their bytes only', () => {
    expect(sniffImage(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffImage(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('image/png');
    expect(sniffImage(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffImage(new TextEncoder().encode('<svg onload=alert(1)>'))).toBeNull();
    expect(sniffImage(new TextEncoder().encode('%PDF-1.7'))).toBeNull();
  });
  it('never lets a path or a control character through a file name', () => {
    fc.assert(
      fc.property(fc.string(), (name) => {
        const safe = safeFileName(name, 'image/png');
        expect([...safe].some((ch) => ch.charCodeAt(0) < 0x20 || '\\/"'.includes(ch))).toBe(false);
        expect(safe.endsWith('.png')).toBe(true);
      }),
    );
    expect(safeFileName('../../etc/passwd', 'image/jpeg')).toBe('passwd.jpg');
  });
});
