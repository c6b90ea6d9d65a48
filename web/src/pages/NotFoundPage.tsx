import { Link } from '../router.tsx';
import { PageHeader } from '../components/ui.tsx';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        There is no page at this address. <Link to="/accounts">Go to account search</Link>.
      </p>
    </>
  );
}

export function NotPermittedPage() {
  return (
    <>
      <PageHeader title="Not available to your role" />
      <p>Your role cannot open this page. Ask a supervisor or an administrator if you need it.</p>
    </>
  );
}
