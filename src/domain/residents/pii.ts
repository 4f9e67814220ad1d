/**
 * Personal identifiers at rest (ADR 0020): AES-256-GCM with a key that lives outside the
 * database (MINSHENG_PII_KEY, or a key file in the data directory for a laptop/demo), plus a
 * keyed HMAC-SHA-256 blind index for exact lookup and duplicate detection. A database dump alone
 * yields neither the numbers nor a way to test guesses (the HMAC key is not in it).
 *
 * Two sub-keys are derived from the one master key with HKDF, so the encryption key and the
 * index key are independent.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors';

export type PiiKind = 'id_number' | 'phone';

export class PiiVault {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;

  constructor(masterKey: Uint8Array) {
    if (masterKey.length !== 32) throw new Error('PII key must be 32 bytes');
    this.encKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'minsheng-pii-aes-256-gcm-v1', 32));
    this.macKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'minsheng-pii-hmac-sha256-v1', 32));
  }

  /** From the configured text: 64 hex characters or base64 of 32 bytes. */
  static fromText(text: string): PiiVault {
    const t = text.trim();
    const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
    return new PiiVault(key);
  }

  static generateKeyText(): string {
    return randomBytes(32).toString('hex');
  }

  /** v1.<iv>.<tag>.<ciphertext>, base64url parts; a fresh random IV each time. */
  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${ct.toString('base64url')}`;
  }

  decrypt(token: string): string {
    const [v, iv, tag, ct] = token.split('.');
    if (v !== 'v1' || !iv || !tag || ct === undefined) throw new AppError('internal', { zh: '加密数据格式错误', en: 'Encrypted value is malformed' });
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.encKey, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new AppError('internal', { zh: '无法解密（密钥不匹配？）', en: 'Cannot decrypt (wrong key?)' });
    }
  }

  /** The blind index: equal values give equal hex, without the key nothing can be guessed. */
  blindIndex(kind: PiiKind, value: string): string {
    return createHmac('sha256', this.macKey).update(`${kind}:${normalizePii(kind, value)}`).digest('hex');
  }
}

export function normalizePii(kind: PiiKind, value: string): string {
  return kind === 'id_number' ? value.trim().toUpperCase() : value.replace(/[\s-]/g, '');
}
