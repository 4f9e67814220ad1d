import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink } from 'react-router-dom';
import { LanguageSwitch } from '../../shared/LanguageSwitch';
import './resident.css';

/** Mobile-first frame of the residents' pages: brand, language, 我要反映 / 查询进度 tabs. */
export function PublicShell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="ms-pub">
      <header className="ms-pub__header">
        <span className="ms-pub__brand">{t('resident.brand')}</span>
        <LanguageSwitch />
      </header>
      <nav className="ms-pub__tabs" data-testid="resident-tabs">
        <NavLink to="/report" className={({ isActive }) => `ms-pub__tab${isActive ? ' is-active' : ''}`}>
          {t('resident.navReport')}
        </NavLink>
        <NavLink to="/track" className={({ isActive }) => `ms-pub__tab${isActive ? ' is-active' : ''}`}>
          {t('resident.navTrack')}
        </NavLink>
      </nav>
      <main className="ms-pub__main">{children}</main>
      <footer className="ms-pub__footer">
        <Link to="/login">{t('resident.staffLogin')}</Link>
      </footer>
    </div>
  );
}

/** The link to the residents' pages shown on the staff login page. */
export function ResidentLoginLink() {
  const { t } = useTranslation();
  return (
    <Link to="/report" className="ms-pub-login-link" data-testid="resident-link">
      {t('resident.loginLink')}
    </Link>
  );
}
