import { Empty } from '../components/ui.tsx';
import { humanize } from '../format.ts';
import type { Contact } from '../types.ts';

/** A customer's phones and emails; `linked`: as tel: and mailto: links (on the account page). */
export function ContactList({ contacts, linked = false }: { contacts: Contact[]; linked?: boolean }) {
  if (contacts.length === 0) return <Empty>No phone or email on file.</Empty>;
  return (
    <ul className="contact-list" aria-label="Contacts">
      {contacts.map((c) => (
        <li key={c.id}>
          <span className="contact-kind">{humanize(c.kind)}{c.label ? ` (${c.label})` : ''}</span>
          {linked ? <a href={`${c.kind === 'email' ? 'mailto' : 'tel'}:${c.value}`}>{c.value}</a> : <span>{c.value}</span>}
          {c.isPrimary && <span className="badge badge-info">Primary</span>}
        </li>
      ))}
    </ul>
  );
}
