import { App as AntApp, Button, ConfigProvider, Result, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Link, Navigate, Route, Routes } from 'react-router-dom';
import { setApiHandlers } from './api';
import { AuthProvider, useAuth } from './features/auth/AuthContext';
import LoginPage from './features/auth/LoginPage';
import { access } from './features/auth/permissions';
import { RequireAuth } from './features/auth/RequireAuth';
import { AppConfigProvider } from './shared/config';
import { AppLayout, type NavItem } from './shared/layout/AppLayout';
import { ResidentLoginLink } from './features/resident/PublicShell';
import type { Me } from './shared/types';

const MapPage = lazy(() => import('./features/map/MapPage'));
const AreasPage = lazy(() => import('./features/areas/AreasPage'));
const UsersPage = lazy(() => import('./features/users/UsersPage'));
const AuditPage = lazy(() => import('./features/audit/AuditPage'));
const TicketsPage = lazy(() => import('./features/tickets/TicketsPage'));
const TicketDetailPage = lazy(() => import('./features/tickets/TicketDetailPage'));
const InboxPage = lazy(() => import('./features/tickets/InboxPage'));
const DashboardPage = lazy(() => import('./features/tickets/DashboardPage'));
const StatsPage = lazy(() => import('./features/tickets/StatsPage'));
const PatrolPage = lazy(() => import('./features/tickets/PatrolPage'));
const TicketConfigPage = lazy(() => import('./features/tickets/TicketConfigPage'));
const HotIssuesPage = lazy(() => import('./features/analysis/HotIssuesPage'));
const HotTasksPage = lazy(() => import('./features/analysis/HotTasksPage'));
const KnowledgePage = lazy(() => import('./features/analysis/KnowledgePage'));
const ModelPage = lazy(() => import('./features/analysis/ModelPage'));
const FacilitiesPage = lazy(() => import('./features/facilities/FacilitiesPage'));
const BenefitsPage = lazy(() => import('./features/benefits/BenefitsPage'));
const ResidentsPage = lazy(() => import('./features/residents/ResidentsPage'));
const PersonPage = lazy(() => import('./features/residents/PersonPage'));
const HouseholdPage = lazy(() => import('./features/residents/HouseholdPage'));
const ResidentsImportPage = lazy(() => import('./features/residents/ImportPage'));
// Residents' pages: public, outside the staff guard and layout.
const ReportPage = lazy(() => import('./features/resident/ReportPage'));
const TrackPage = lazy(() => import('./features/resident/TrackPage'));
// 民生微实事: residents' pages (public) and the street's workbench.
const MicroListPage = lazy(() => import('./features/micro/PublicListPage'));
const MicroProposePage = lazy(() => import('./features/micro/ProposePage'));
const MicroProposalPage = lazy(() => import('./features/micro/ProposalPage'));
const MicroMyPage = lazy(() => import('./features/micro/MyPage'));
const MicroVotePage = lazy(() => import('./features/micro/VotePage'));
const MicroAdminPage = lazy(() => import('./features/micro/MicroAdminPage'));
const MicroRoundsPage = lazy(() => import('./features/micro/RoundsPage'));
// 民生实事: the public page and the staff's programme, item and summary pages.
const PublicProjectsPage = lazy(() => import('./features/projects/PublicProjectsPage'));
const ProgrammePage = lazy(() => import('./features/projects/ProgrammePage'));
const ProjectItemPage = lazy(() => import('./features/projects/ItemPage'));
const ProjectsSummaryPage = lazy(() => import('./features/projects/SummaryPage'));

/** Workbench modules in menu order; each is shown only to users it allows. */
const MODULES = [
  { path: '/tickets', group: 'tickets', label: 'nav.tickets', allow: access.tickets, page: <TicketsPage /> },
  { path: '/inbox', group: 'tickets', label: 'nav.inbox', allow: access.inbox, page: <InboxPage /> },
  { path: '/patrol', group: 'tickets', label: 'nav.patrol', allow: access.patrol, page: <PatrolPage /> },
  { path: '/dashboard', group: 'tickets', label: 'nav.dashboard', allow: access.dashboard, page: <DashboardPage /> },
  { path: '/stats', group: 'tickets', label: 'nav.stats', allow: access.dashboard, page: <StatsPage /> },
  { path: '/analysis/hot', group: 'analysis', label: 'insights.nav.hot', allow: access.hotIssues, page: <HotIssuesPage /> },
  { path: '/analysis/tasks', group: 'analysis', label: 'insights.nav.tasks', allow: access.proactiveTasks, page: <HotTasksPage /> },
  { path: '/knowledge', group: 'analysis', label: 'insights.nav.knowledge', allow: access.knowledge, page: <KnowledgePage /> },
  { path: '/analysis/model', group: 'analysis', label: 'model.nav', allow: access.model, page: <ModelPage /> },
  { path: '/residents', group: 'people', label: 'nav.residents', allow: access.residents, page: <ResidentsPage /> },
  { path: '/benefits', group: 'people', label: 'nav.benefits', allow: access.benefits, page: <BenefitsPage /> },
  { path: '/map', group: 'space', label: 'nav.map', allow: access.map, page: <MapPage /> },
  { path: '/facilities', group: 'space', label: 'nav.facilities', allow: access.facilities, page: <FacilitiesPage /> },
  { path: '/programme', group: 'projects', label: 'projects.nav', allow: access.projects, page: <ProgrammePage /> },
  { path: '/programme-summary', group: 'projects', label: 'projects.navSummary', allow: access.projects, page: <ProjectsSummaryPage /> },
  { path: '/micro-admin', group: 'projects', label: 'micro.navAdmin', allow: access.micro, page: <MicroAdminPage /> },
  { path: '/micro-rounds', group: 'projects', label: 'micro.navRounds', allow: access.micro, page: <MicroRoundsPage /> },
  { path: '/admin/areas', group: 'admin', label: 'nav.areas', allow: access.areas, page: <AreasPage /> },
  { path: '/admin/tickets', group: 'admin', label: 'nav.ticketConfig', allow: access.ticketConfig, page: <TicketConfigPage /> },
  { path: '/admin/users', group: 'admin', label: 'nav.users', allow: access.users, page: <UsersPage /> },
  { path: '/admin/audit', group: 'admin', label: 'nav.audit', allow: access.audit, page: <AuditPage /> },
] as const satisfies readonly { path: string; group: 'tickets' | 'analysis' | 'people' | 'space' | 'projects' | 'admin'; label: string; allow: (user: Me) => boolean; page: ReactNode }[];

/** Pages opened from a module rather than from the menu. */
const SUBPAGES = [
  { path: '/tickets/:id', allow: access.ticketDetail, page: <TicketDetailPage /> },
  { path: '/programme/items/:id', allow: access.projects, page: <ProjectItemPage /> },
  { path: '/residents/persons/:id', allow: access.residents, page: <PersonPage /> },
  { path: '/residents/households/:id', allow: access.residents, page: <HouseholdPage /> },
  { path: '/residents/import', allow: access.residentsManage, page: <ResidentsImportPage /> },
] as const satisfies readonly { path: string; allow: (user: Me) => boolean; page: ReactNode }[];

function PageFallback() {
  return (
    <div className="ms-center">
      <Spin />
    </div>
  );
}

/** Routes API errors to antd messages and a 401 to the login page. */
function ApiBridge() {
  const { message } = AntApp.useApp();
  const { clear } = useAuth();
  const { t } = useTranslation();
  useEffect(() => {
    setApiHandlers({
      onError: (error) => void message.error({ content: error.message, key: `api-${error.code}` }),
      onUnauthorized: () => {
        void message.warning({ content: t('auth.sessionExpired'), key: 'api-401' });
        clear(); // <RequireAuth> then redirects to /login, remembering the page
      },
    });
  }, [message, clear, t]);
  return null;
}

function Home({ nav }: { nav: NavItem[] }) {
  const { t } = useTranslation();
  const first = nav[0];
  if (first) return <Navigate to={first.path} replace />;
  return <Result status="info" title={t('common.noModules')} />;
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title="404"
      subTitle={t('common.notFound')}
      extra={
        <Link to="/">
          <Button type="primary">{t('common.backHome')}</Button>
        </Link>
      }
    />
  );
}

function AppRoutes() {
  const { t } = useTranslation();
  const { user, logout } = useAuth();
  const nav: NavItem[] = user
    ? MODULES.filter((m) => m.allow(user)).map((m) => ({ path: m.path, label: t(m.label), group: t(`nav.groups.${m.group}`) }))
    : [];

  return (
    <Routes>
      <Route
        path="/login"
        element={
          <>
            <LoginPage />
            <ResidentLoginLink />
          </>
        }
      />
      <Route path="/report" element={<Suspense fallback={<PageFallback />}><ReportPage /></Suspense>} />
      <Route path="/track" element={<Suspense fallback={<PageFallback />}><TrackPage /></Suspense>} />
      <Route path="/projects" element={<Suspense fallback={<PageFallback />}><PublicProjectsPage /></Suspense>} />
      <Route path="/micro" element={<Suspense fallback={<PageFallback />}><MicroListPage /></Suspense>} />
      <Route path="/micro/new" element={<Suspense fallback={<PageFallback />}><MicroProposePage /></Suspense>} />
      <Route path="/micro/me" element={<Suspense fallback={<PageFallback />}><MicroMyPage /></Suspense>} />
      <Route path="/micro/p/:number" element={<Suspense fallback={<PageFallback />}><MicroProposalPage /></Suspense>} />
      <Route path="/micro/rounds/:id" element={<Suspense fallback={<PageFallback />}><MicroVotePage /></Suspense>} />
      <Route
        element={
          <RequireAuth>{user && <AppLayout user={user} nav={nav} onLogout={() => void logout()} />}</RequireAuth>
        }
      >
        <Route index element={<Home nav={nav} />} />
        {[...MODULES, ...SUBPAGES].map((m) => (
          <Route
            key={m.path}
            path={m.path}
            element={
              <RequireAuth allow={m.allow}>
                <Suspense fallback={<PageFallback />}>{m.page}</Suspense>
              </RequireAuth>
            }
          />
        ))}
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

export function App() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN}>
      <AntApp>
        <BrowserRouter>
          <AppConfigProvider>
            <AuthProvider>
              <ApiBridge />
              <AppRoutes />
            </AuthProvider>
          </AppConfigProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}
