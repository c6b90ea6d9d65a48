import { useEffect, useRef } from 'react';
import { Shell } from './components/Shell.tsx';
import { Loading } from './components/ui.tsx';
import { useTitle } from './hooks.ts';
import { LoginPage } from './pages/LoginPage.tsx';
import { NotFoundPage, NotPermittedPage } from './pages/NotFoundPage.tsx';
import { matchRoute, useLocation } from './router.tsx';
import { routes } from './routes.tsx';
import { roleAllows, SessionProvider, useSession } from './session.tsx';

export function App() {
  return (
    <SessionProvider>
      <Gate />
    </SessionProvider>
  );
}

/** Restores the session on load; without one, the sign-in page (at any path, kept for after). */
function Gate() {
  const { user, loadError } = useSession();
  if (user === undefined) return <Loading what="Starting Ratepayer" />;
  if (user === null) return <LoginPage notice={loadError} />;
  return (
    <Shell>
      <CurrentPage />
    </Shell>
  );
}

function CurrentPage() {
  const { path } = useLocation();
  const { user } = useSession();
  const match = matchRoute(routes, path);
  useTitle(match?.route.title ?? 'Not found');
  useFocusOnNavigate(path);
  if (!match) return <NotFoundPage />;
  if (match.route.access && user && !roleAllows(user.role, match.route.access)) return <NotPermittedPage />;
  // key: a new page (e.g. another account) starts with fresh state.
  return <div key={match.route.pattern + JSON.stringify(match.params)}>{match.route.render(match.params)}</div>;
}

/** After a client-side navigation, move focus to the new page (as a full page load would). */
function useFocusOnNavigate(path: string) {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    window.scrollTo(0, 0);
    const frame = requestAnimationFrame(() => {
      const target = document.querySelector<HTMLElement>('[data-page-heading]') ?? document.getElementById('main');
      target?.focus({ preventScroll: true });
    });
    return () => cancelAnimationFrame(frame);
  }, [path]);
}
