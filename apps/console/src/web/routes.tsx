// Every screen: its path, title, who sees it in the navigation, and what it renders.
import type { ReactNode } from 'react';
import type { Me, Role } from './api/session.ts';
import { t } from './i18n/index.ts';
import { AccountPage } from './pages/account.tsx';
import { BatchPage, IssuePage, LicensesPage, TypesPage } from './pages/clerk.tsx';
import { CollectionPage, ItemsPage, NoticesPage, ReconciliationPage, RefundsPage } from './pages/finance.tsx';
import { MyReceiptsPage, PayPage, SandboxBankPage } from './pages/pay.tsx';
import { HomePage, ReceiptVerifyPage, VerifyPage } from './pages/public.tsx';
import { SealPage, VerifyPdf } from './pages/seal.tsx';
import { GrantsPage, LicenseDetailPage, ShowQrPage, UsagePage, WalletPage } from './pages/wallet.tsx';
import { matchPath } from './router.tsx';
import { RequireLogin } from './session-context.tsx';

interface RouteSpec {
  path: string;
  title: string;
  /** Shown in the navigation for this role (omitted: not in the navigation). */
  nav?: Role | 'public';
  login?: boolean;
  page: (params: Record<string, string>) => ReactNode;
}

const ROUTES: RouteSpec[] = [
  { path: '/', title: t.nav.home, nav: 'public', page: () => <HomePage /> },
  { path: '/verify', title: t.nav.verify, nav: 'public', page: () => <VerifyPage /> },
  { path: '/verify/receipt', title: t.nav.verifyReceipt, nav: 'public', page: () => <ReceiptVerifyPage /> },
  { path: '/verify/pdf', title: t.nav.verifyPdf, nav: 'public', page: () => <VerifyPdf standalone /> },
  { path: '/pay', title: t.nav.pay, nav: 'public', page: () => <PayPage /> },
  { path: '/pay/:code', title: t.nav.pay, page: (p) => <PayPage code={p.code ?? ''} /> },
  { path: '/pay/:code/sandbox', title: t.pay.bankTitle, page: (p) => <SandboxBankPage code={p.code ?? ''} /> },
  { path: '/wallet', title: t.nav.wallet, nav: 'citizen', login: true, page: () => <WalletPage /> },
  {
    path: '/wallet/:identifier',
    title: t.wallet.detailTitle,
    login: true,
    page: (p) => <LicenseDetailPage identifier={p.identifier ?? ''} />,
  },
  {
    path: '/wallet/:identifier/qr',
    title: t.qr.title,
    login: true,
    page: (p) => <ShowQrPage identifier={p.identifier ?? ''} />,
  },
  { path: '/grants', title: t.nav.grants, nav: 'citizen', login: true, page: () => <GrantsPage /> },
  { path: '/receipts', title: t.nav.myReceipts, nav: 'citizen', login: true, page: () => <MyReceiptsPage /> },
  { path: '/usage', title: t.nav.usage, nav: 'citizen', login: true, page: () => <UsagePage /> },
  { path: '/account', title: t.nav.account, nav: 'citizen', login: true, page: () => <AccountPage /> },
  { path: '/clerk/issue', title: t.nav.issue, nav: 'clerk', login: true, page: () => <IssuePage /> },
  { path: '/clerk/batch', title: t.nav.batch, nav: 'clerk', login: true, page: () => <BatchPage /> },
  { path: '/clerk/licenses', title: t.nav.licenses, nav: 'clerk', login: true, page: () => <LicensesPage /> },
  { path: '/clerk/types', title: t.nav.types, nav: 'licenseAdmin', login: true, page: () => <TypesPage /> },
  { path: '/finance/items', title: t.nav.items, nav: 'finance', login: true, page: () => <ItemsPage /> },
  { path: '/finance/notices', title: t.nav.notices, nav: 'finance', login: true, page: () => <NoticesPage /> },
  { path: '/finance/refunds', title: t.nav.refunds, nav: 'finance', login: true, page: () => <RefundsPage /> },
  {
    path: '/finance/reconciliation',
    title: t.nav.reconciliation,
    nav: 'finance',
    login: true,
    page: () => <ReconciliationPage />,
  },
  { path: '/finance/collection', title: t.nav.collection, nav: 'finance', login: true, page: () => <CollectionPage /> },
  { path: '/seal', title: t.nav.seal, nav: 'sealOfficer', login: true, page: () => <SealPage /> },
];

export function findRoute(path: string) {
  const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
  for (const route of ROUTES) {
    const params = matchPath(route.path, clean);
    if (params)
      return {
        title: route.title,
        params,
        render: (p: Record<string, string>) =>
          route.login ? <RequireLogin>{route.page(p)}</RequireLogin> : route.page(p),
      };
  }
  return undefined;
}

const SECTIONS: Array<{ title: string; role: Role | 'public' }> = [
  { title: t.home.publicServices, role: 'public' },
  { title: t.nav.citizen, role: 'citizen' },
  { title: t.nav.clerk, role: 'clerk' },
  { title: t.nav.clerk, role: 'licenseAdmin' },
  { title: t.nav.finance, role: 'finance' },
  { title: t.nav.seal, role: 'sealOfficer' },
];

/** The navigation a user sees: public links, then one section per role they hold. */
export function navigationFor(me: Me): Array<{ title: string; links: Array<{ to: string; label: string }> }> {
  const roles: Array<Role | 'public'> = ['public', ...(me.authenticated ? me.roles : [])];
  const merged = new Map<string, Array<{ to: string; label: string }>>();
  for (const section of SECTIONS) {
    if (!roles.includes(section.role)) continue;
    const links = ROUTES.filter((r) => r.nav === section.role).map((r) => ({ to: r.path, label: r.title }));
    merged.set(section.title, [...(merged.get(section.title) ?? []), ...links]);
  }
  return [...merged].map(([title, links]) => ({ title, links }));
}
