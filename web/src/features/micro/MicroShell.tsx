import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink } from 'react-router-dom';
import { LanguageSwitch } from '../../shared/LanguageSwitch';
import '../resident/resident.css';
import './micro.css';

/** Mobile-first frame of the 民生微实事 pages: brand, language, 提议 / 我要提议 / 我的 tabs. */
export function MicroShell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const tab = ({ isActive }: { isActive: boolean }) => `ms-pub__tab${isActive ? ' is-active' : ''}`;
  return (
    <div className="ms-pub">
      <header className="ms-pub__header">
        <span className="ms-pub__brand">{t('micro.brand')}</span>
        <LanguageSwitch />
      </header>
      <nav className="ms-pub__tabs" data-testid="micro-tabs">
        <NavLink to="/micro" end className={tab}>
          {t('micro.navList')}
        </NavLink>
        <NavLink to="/micro/new" className={tab} data-testid="micro-nav-new">
          {t('micro.navPropose')}
        </NavLink>
        <NavLink to="/micro/me" className={tab} data-testid="micro-nav-me">
          {t('micro.navMine')}
        </NavLink>
      </nav>
      <main className="ms-pub__main">{children}</main>
      <footer className="ms-pub__footer">
        <Link to="/report">{t('micro.toReport')}</Link> · <Link to="/login">{t('resident.staffLogin')}</Link>
      </footer>
    </div>
  );
}
