import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api.ts';
import { useTitle } from '../hooks.ts';
import { useSession } from '../session.tsx';

/** Sign-in. Shows the server's own message: wrong password, locked out, too many attempts. */
export function LoginPage({ notice }: { notice?: string | null }) {
  const { signIn } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  useTitle('Sign in');

  useEffect(() => usernameRef.current?.focus(), []);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await signIn(String(data.get('username') ?? '').trim(), String(data.get('password') ?? ''));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : (e as Error).message);
      if (passwordRef.current) {
        passwordRef.current.value = '';
        passwordRef.current.focus();
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login">
      <main className="login-panel">
        <div className="login-brand">
          <span className="brand-mark" aria-hidden="true">R</span>
          <div>
            <h1>Ratepayer</h1>
            <p>Customer information and billing: electric, water and fiber</p>
          </div>
        </div>
        <form className="login-form" onSubmit={onSubmit} noValidate data-testid="login-form">
          <h2>Staff sign-in</h2>
          {notice && !error && <p className="notice">{notice}</p>}
          {error && (
            <div className="error-banner" role="alert" data-testid="login-error">
              {error}
            </div>
          )}
          <div className="field">
            <label htmlFor="login-username">Username</label>
            <input ref={usernameRef} id="login-username" name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} required />
          </div>
          <div className="field">
            <label htmlFor="login-password">Password</label>
            <input ref={passwordRef} id="login-password" name="password" type="password" autoComplete="current-password" required />
          </div>
          <button type="submit" className="button-primary" disabled={busy} data-testid="login-submit">
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p className="login-foot">Public utility district staff only. Every change is recorded in the audit trail.</p>
      </main>
    </div>
  );
}
