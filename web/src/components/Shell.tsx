import { useState, type ReactNode } from 'react';
import { isCurrent, navItems, type NavItem } from '../nav.ts';
import { Link, useLocation } from '../router.tsx';
import { roleAllows, roleNames, useSession, useUser } from '../session.tsx';
import { SearchBox } from './SearchBox.tsx';

/** The frame around every signed-in page: header with search and user, left navigation, main. */
export function Shell({ children }: { children: ReactNode }) {
  const user = useUser();
  const { signOut } = useSession();
  const { path } = useLocation();
  const [signingOut, setSigningOut] = useState(false);
  const visible = navItems.filter((item) => roleAllows(user.role, item.access));
  const groups: [string | null, NavItem[]][] = [
    [null, visible.filter((i) => !i.group || i.group === 'main')],
    ['Field work', visible.filter((i) => i.group === 'field')],
    ['Billing', visible.filter((i) => i.group === 'billing')],
    ['Payments', visible.filter((i) => i.group === 'payments')],
    ['Administration', visible.filter((i) => i.group === 'admin')],
    ['Help', visible.filter((i) => i.group === 'help')],
  ];

  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/accounts" className="brand" aria-label="Ratepayer home">
          <span className="brand-mark" aria-hidden="true">R</span>
          <span className="brand-name">Ratepayer</span>
        </Link>
        <SearchBox />
        <div className="topbar-user" data-testid="current-user">
          <span className="user-name">{user.displayName}</span>
          <span className="user-role">{roleNames[user.role]}</span>
          <button
            type="button"
            className="button-quiet"
            disabled={signingOut}
            onClick={() => {
              setSigningOut(true);
              signOut().finally(() => setSigningOut(false));
            }}
            data-testid="sign-out"
          >
            Sign out
          </button>
        </div>
      </header>
      <nav className="sidenav" aria-label="Main">
        {groups.map(([heading, items]) =>
          items.length === 0 ? null : (
            <div className="sidenav-group" key={heading ?? 'main'}>
              {heading && <h2 className="sidenav-heading">{heading}</h2>}
              <ul>
                {items.map((item) => (
                  <li key={item.to}>
                    {item.external ? (
                      <a href={item.to} target="_blank" rel="noopener">
                        {item.label} <span aria-hidden="true">↗</span>
                      </a>
                    ) : (
                      <Link to={item.to} aria-current={isCurrent(item, path) ? 'page' : undefined}>
                        {item.label}
                      </Link>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          ),
        )}
      </nav>
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
