import { Alert, Button, Card, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, publicMicroApi, residentToken } from './microApi';

const PHONE_RE = /^1\d{10}$/;
const CODE_RE = /^\d{6}$/;

/**
 * Confirms the resident's phone with the SMS code (the same code service as 我要反映), once per
 * tab: the server answers with a 2-hour token that proposing, supporting and voting then carry.
 */
export function PhoneGate({ onChange, compact = false }: { onChange?: (phone: string | null) => void; compact?: boolean }) {
  const { t } = useTranslation();
  const [verified, setVerified] = useState(() => residentToken.get()?.phone ?? null);
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [countdown, setCountdown] = useState(0);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (countdown <= 0) return;
    const timer = setTimeout(() => setCountdown((s) => s - 1), 1000);
    return () => clearTimeout(timer);
  }, [countdown]);

  if (verified) {
    return (
      <Card size="small" data-testid="micro-verified">
        <Typography.Text type="success">✓ {t('micro.verifiedAs', { phone: verified })}</Typography.Text>{' '}
        <Button
          type="link"
          size="small"
          onClick={() => {
            residentToken.clear();
            setVerified(null);
            onChange?.(null);
          }}
        >
          {t('micro.changePhone')}
        </Button>
      </Card>
    );
  }

  const send = async () => {
    if (!PHONE_RE.test(phone.trim())) {
      setError(t('resident.phoneInvalid'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await publicMicroApi.sendCode(phone.trim());
      setCountdown(60);
      setNote(t('resident.codeSent'));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    if (!CODE_RE.test(code.trim())) {
      setError(t('resident.codeInvalid'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const s = await publicMicroApi.startSession(phone.trim(), code.trim());
      residentToken.set(s);
      setVerified(s.phone);
      onChange?.(s.phone);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={compact ? undefined : t('micro.verifyTitle')} data-testid="micro-phone-gate">
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {t('micro.verifyHint')}
      </Typography.Paragraph>
      <div className="ms-micro-code-row">
        <Input type="tel" inputMode="numeric" maxLength={11} value={phone} onChange={(e) => setPhone(e.target.value)} placeholder={t('resident.phonePlaceholder')} data-testid="micro-phone" />
        <Button onClick={() => void send()} loading={busy && countdown === 0} disabled={countdown > 0} data-testid="micro-send-code">
          {countdown > 0 ? t('resident.resendIn', { seconds: countdown }) : t('resident.sendCode')}
        </Button>
      </div>
      {note && <Typography.Text type="success">{note}</Typography.Text>}
      <div className="ms-micro-code-row" style={{ marginTop: 10 }}>
        <Input inputMode="numeric" maxLength={6} autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} placeholder={t('resident.codePlaceholder')} data-testid="micro-code" />
        <Button type="primary" onClick={() => void confirm()} loading={busy} data-testid="micro-verify">
          {t('micro.verify')}
        </Button>
      </div>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 10 }} data-testid="micro-gate-error" />}
    </Card>
  );
}
