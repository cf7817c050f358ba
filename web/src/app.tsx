import { Anchor, AppShell, Burger, Button, Group, Loader, Menu, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { api, type Staff } from './api.ts';
import { useI18n } from './i18n.tsx';
import { CitizenHome } from './pages/citizen-home.tsx';
import { ROLE_NAMES } from './role-names.ts';
import { useStaff } from './session.tsx';

// Every page but the citizen's home loads on first visit: a citizen on a phone downloads the
// home page's code only, not the staff consoles, charts and admin screens.
const AlertSettingsPage = lazy(() => import('./pages/alert-settings.tsx').then((m) => ({ default: m.AlertSettingsPage })));
const AdminPage = lazy(() => import('./pages/admin.tsx').then((m) => ({ default: m.AdminPage })));
const ComplaintPage = lazy(() => import('./pages/complaint/page.tsx').then((m) => ({ default: m.ComplaintPage })));
const DashboardPage = lazy(() => import('./pages/dashboard.tsx').then((m) => ({ default: m.DashboardPage })));
const EnforcementPage = lazy(() => import('./pages/enforcement.tsx').then((m) => ({ default: m.EnforcementPage })));
const FileComplaintPage = lazy(() => import('./pages/file-complaint.tsx').then((m) => ({ default: m.FileComplaintPage })));
const FollowUpPage = lazy(() => import('./pages/follow-up.tsx').then((m) => ({ default: m.FollowUpPage })));
const InboxPage = lazy(() => import('./pages/inbox.tsx').then((m) => ({ default: m.InboxPage })));
const IncidentsPage = lazy(() => import('./pages/incidents.tsx').then((m) => ({ default: m.IncidentsPage })));
const InspectionsPage = lazy(() => import('./pages/inspections.tsx').then((m) => ({ default: m.InspectionsPage })));
const LoginPage = lazy(() => import('./pages/login.tsx').then((m) => ({ default: m.LoginPage })));
const OperatorPage = lazy(() => import('./pages/operator.tsx').then((m) => ({ default: m.OperatorPage })));
const PortalPage = lazy(() => import('./pages/portal.tsx').then((m) => ({ default: m.PortalPage })));
const ReportsPage = lazy(() => import('./pages/reports.tsx').then((m) => ({ default: m.ReportsPage })));
const SupervisionPage = lazy(() => import('./pages/supervision.tsx').then((m) => ({ default: m.SupervisionPage })));
const TrackPage = lazy(() => import('./pages/track.tsx').then((m) => ({ default: m.TrackPage })));

type StaffPage = Staff['pages'][number];

/** Each console page's path and menu name; which of them a staff member sees comes from the server (`/auth/me`). */
const PAGE_LINKS: Record<StaffPage, { to: string; fa: string; en: string }> = {
  inbox: { to: '/staff/inbox', fa: 'کارتابل', en: 'Inbox' },
  operator: { to: '/staff/operator', fa: 'میز اپراتور ۱۲۸', en: '128 console' },
  follow_up: { to: '/staff/follow-up', fa: 'تماس‌های پیگیری', en: 'Follow-up calls' },
  supervision: { to: '/staff/supervision', fa: 'نظارت', en: 'Supervision' },
  dashboard: { to: '/staff/dashboard', fa: 'پایش زنده', en: 'Live' },
  reports: { to: '/staff/reports', fa: 'کارنامه‌ها', en: 'Report cards' },
  enforcement: { to: '/staff/enforcement', fa: 'اقدام‌ها', en: 'Enforcement' },
  record: { to: '/staff/enforcement', fa: 'سابقهٔ من', en: 'My record' },
  inspections: { to: '/staff/inspections', fa: 'بازرسی', en: 'Inspections' },
  incidents: { to: '/staff/incidents', fa: 'رخدادها', en: 'Incidents' },
  admin: { to: '/staff/admin', fa: 'مدیریت', en: 'Administration' },
  alerts: { to: '/staff/alerts', fa: 'اعلان‌ها', en: 'Alerts' },
};

/** The pages a staff member may open, their home first, as the server lists them. */
function staffLinks(staff: Staff): { to: string; fa: string; en: string }[] {
  return staff.pages.map((page) => PAGE_LINKS[page]);
}

function StaffHome() {
  const { staff, loading } = useStaff();
  if (loading) return null;
  if (!staff) return <Navigate to="/staff/login" replace />;
  return <Navigate to={staffLinks(staff)[0]?.to ?? '/staff/inbox'} replace />;
}

/**
 * Staff pages need a session; without one the person is sent to sign in and brought back. A page
 * the server does not list for this member says so instead of showing an empty console.
 */
function RequireStaff({ children, page }: { children: React.ReactNode; page?: StaffPage | StaffPage[] }) {
  const { staff, loading } = useStaff();
  const location = useLocation();
  const { t } = useI18n();
  if (loading) return null;
  if (!staff) return <Navigate to={`/staff/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  const needed = page === undefined ? [] : Array.isArray(page) ? page : [page];
  if (needed.length > 0 && !needed.some((p) => staff.pages.includes(p)))
    return (
      <Text role="alert" component="h1" fw={500}>
        {t('این صفحه برای نقش شما نیست.', 'This page is not for your role.')}
      </Text>
    );
  return <>{children}</>;
}

/** Moves the keyboard's focus to the page's content: the first thing Tab reaches on every page. */
function SkipLink() {
  const { t } = useI18n();
  return (
    <a href="#main" className="skip-link">
      {t('پرش به محتوا', 'Skip to content')}
    </a>
  );
}

/** A staff page's route: the page behind a session and, when named, the pages the server lists for the member. */
function guarded(path: string, page: StaffPage | StaffPage[] | undefined, element: React.ReactNode) {
  return <Route path={path} element={<RequireStaff page={page}>{element}</RequireStaff>} />;
}

/** The public pages: a citizen files, tracks and reads the report cards without signing in. */
function citizenRoutes() {
  return (
    <>
      <Route path="/" element={<CitizenHome />} />
      <Route path="/file" element={<FileComplaintPage />} />
      <Route path="/track" element={<TrackPage />} />
      <Route path="/track/:code" element={<TrackPage />} />
      <Route path="/portal" element={<PortalPage />} />
    </>
  );
}

/** The staff consoles, each behind a session and the pages the server lists for the member. */
function staffRoutes() {
  return (
    <>
      <Route path="/staff/login" element={<LoginPage />} />
      <Route path="/staff" element={<StaffHome />} />
      {guarded('/staff/inbox', 'inbox', <InboxPage />)}
      {guarded('/staff/complaints/:id', undefined, <ComplaintPage />)}
      {guarded('/staff/operator', 'operator', <OperatorPage />)}
      {guarded('/staff/follow-up', 'follow_up', <FollowUpPage />)}
      {guarded('/staff/supervision', 'supervision', <SupervisionPage />)}
      {guarded('/staff/dashboard', 'dashboard', <DashboardPage />)}
      {guarded('/staff/reports', 'reports', <ReportsPage />)}
      {guarded('/staff/enforcement', ['enforcement', 'record'], <EnforcementPage />)}
      {guarded('/staff/inspections', 'inspections', <InspectionsPage />)}
      {guarded('/staff/incidents', 'incidents', <IncidentsPage />)}
    </>
  );
}

/** Administration and the member's own alert settings. */
function adminRoutes() {
  return (
    <>
      {guarded('/staff/admin', 'admin', <AdminPage />)}
      {guarded('/staff/alerts', 'alerts', <AlertSettingsPage />)}
    </>
  );
}

/** The top bar: the menu button, the service's name, the main links, the language and the session. */
function AppHeader({ nav, opened, toggle }: { nav: React.ReactNode; opened: boolean; toggle: () => void }) {
  const { t, lang, setLang } = useI18n();
  const { staff } = useStaff();
  const navigate = useNavigate();
  const client = useQueryClient();
  const logout = async () => {
    await api('/auth/logout', { method: 'POST' }).catch(() => undefined);
    client.clear();
    navigate('/staff/login');
  };
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap">
      <Group gap="sm" wrap="nowrap">
        <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('منو', 'Menu')} />
        <UnstyledButton component={Link} to={staff ? '/staff' : '/'}>
          <Group gap={6} wrap="nowrap">
            <Text fw={700} size="lg" c="blue.8">
              {t('۱۲۸', '128')}
            </Text>
            <Text fw={700} visibleFrom="xs">
              {t('سامانهٔ فوریت‌های اداری', 'Administrative Emergency')}
            </Text>
          </Group>
        </UnstyledButton>
        <Group gap="lg" visibleFrom="sm" component="nav" aria-label={t('پیوندهای اصلی', 'Main links')}>
          {nav}
        </Group>
      </Group>
      <Group gap="xs" wrap="nowrap">
        <Button variant="subtle" size="compact-sm" onClick={() => setLang(lang === 'fa' ? 'en' : 'fa')} lang={lang === 'fa' ? 'en' : 'fa'}>
          {lang === 'fa' ? 'English' : 'فارسی'}
        </Button>
        {staff ? (
          <Menu position="bottom-end">
            <Menu.Target>
              {/* A long name is cut with an ellipsis so the header fits a 360 px phone. */}
              <Button
                variant="light"
                size="compact-sm"
                maw={150}
                title={staff.displayName}
                styles={{ label: { overflow: 'hidden', textOverflow: 'ellipsis' } }}
              >
                {staff.displayName}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>{ROLE_NAMES[staff.role][lang]}</Menu.Label>
              <Menu.Item onClick={logout}>{t('خروج', 'Sign out')}</Menu.Item>
            </Menu.Dropdown>
          </Menu>
        ) : (
          <Anchor component={Link} to="/staff/login" size="sm">
            {t('ورود کارکنان', 'Staff sign-in')}
          </Anchor>
        )}
      </Group>
    </Group>
  );
}

export function App() {
  const { t, lang } = useI18n();
  const { staff } = useStaff();
  const [opened, { toggle, close }] = useDisclosure(false);
  const links = staff
    ? staffLinks(staff)
    : [
        { to: '/file', fa: 'ثبت شکایت', en: 'File a complaint' },
        { to: '/track', fa: 'پیگیری', en: 'Track' },
        { to: '/portal', fa: 'کارنامهٔ دستگاه‌ها', en: 'Report cards' },
      ];
  const nav = links.map((link) => (
    <Anchor key={link.to} component={Link} to={link.to} onClick={close} c="inherit" fw={500}>
      {lang === 'fa' ? link.fa : link.en}
    </Anchor>
  ));
  return (
    <>
      <SkipLink />
      <AppShell header={{ height: 60 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { desktop: true, mobile: !opened } }} padding="md">
        <AppShell.Header>
          <AppHeader nav={nav} opened={opened} toggle={toggle} />
        </AppShell.Header>
        <AppShell.Navbar p="md">
          {/* The phone's menu: in the page only while open, so Tab never meets a hidden second copy of the links. */}
          {opened && (
            <nav aria-label={t('منو', 'Menu')}>
              <Group gap="md" style={{ flexDirection: 'column', alignItems: 'stretch' }}>
                {nav}
              </Group>
            </nav>
          )}
        </AppShell.Navbar>
        <AppShell.Main id="main" tabIndex={-1} style={{ outline: 'none' }}>
          <Suspense fallback={<Loader size="sm" aria-label={t('در حال بارگیری…', 'Loading…')} />}>
            <Routes>
              {citizenRoutes()}
              {staffRoutes()}
              {adminRoutes()}
              <Route path="*" element={<Text>{t('این صفحه پیدا نشد.', 'Page not found.')}</Text>} />
            </Routes>
          </Suspense>
        </AppShell.Main>
      </AppShell>
    </>
  );
}
