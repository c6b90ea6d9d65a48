import { useState } from 'react';
import { api } from '../api.ts';
import { dash, stepActionLabel, stepDay } from '../collections/labels.tsx';
import { SettingsDialog, StepDialog, stepFeeText } from '../collections/SettingsDialogs.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Card, Facts, LoadError, Loading, PageHeader, SuccessBanner } from '../components/ui.tsx';
import { formatCents, humanize } from '../format.ts';
import { useApi } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { CollectionsSettingsDetail, CollectionStep } from '../types.ts';

function stepColumns(onEdit: ((s: CollectionStep) => void) | null): Column<CollectionStep>[] {
  const columns: Column<CollectionStep>[] = [
    { header: 'Step', cell: (s) => <><strong data-testid="step-label">{s.label}</strong><div className="small muted mono" data-testid="step-code">{s.code}</div></> },
    { header: 'Action', cell: (s) => <span data-testid="step-action">{stepActionLabel(s.action)}</span> },
    { header: 'When', cell: (s) => <span data-testid="step-day">{stepDay(s)}</span> },
    { header: 'From past due', className: 'num nowrap', cell: (s) => <span data-testid="step-min">{s.minPastDueCents > 0 ? formatCents(s.minPastDueCents) : dash}</span> },
    { header: 'Classes', cell: (s) => <span data-testid="step-classes">{s.customerClasses === null ? 'Every class' : s.customerClasses.map(humanize).join(', ') || 'None'}</span> },
    { header: 'Fee', cell: (s) => <span data-testid="step-fee">{s.fee ? stepFeeText(s.fee) : dash}</span> },
    { header: 'In use', className: 'nowrap', cell: (s) => (s.active ? <span className="badge badge-good" data-testid="step-active">In use</span> : <span className="badge badge-muted" data-testid="step-active">Off</span>) },
  ];
  if (onEdit) {
    columns.push({
      header: <span className="visually-hidden">Actions</span>,
      className: 'actions-cell',
      cell: (s) => (
        <button type="button" className="button-small" onClick={() => onEdit(s)} data-testid="edit-step" aria-label={`Change the step ${s.label}`}>
          Change
        </button>
      ),
    });
  }
  return columns;
}

/**
 * The collections path as configuration: the settings (the minimum past-due amount, reconnection
 * fees, business hours, notice periods, the assistance text of the notices) and the steps in
 * order with their day, the past-due amount and classes they apply to and their fee. Supervisors
 * change them, with a reason.
 */
export function CollectionsSettingsPage() {
  const canEdit = useCan('supervisor');
  const settings = useApi('collections-settings', (signal) => api.get<CollectionsSettingsDetail>('/collections/settings', undefined, signal));
  const [editing, setEditing] = useState<'settings' | CollectionStep | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const s = settings.data;
  const saved = (message: string) => {
    setEditing(null);
    setDone(message);
    settings.reload();
  };
  const open = (what: 'settings' | CollectionStep) => {
    setDone(null);
    setEditing(what);
  };

  return (
    <>
      <PageHeader
        title="Collections settings"
        subtitle="The collections path: the steps an unpaid account goes through, their days, the amounts and classes they apply to, and their fees. Every protection is checked before each notice and disconnection."
        actions={
          <>
            <Link to="/collections" className="button">Work queue</Link>
            <Link to="/collections/runs" className="button">Runs</Link>
          </>
        }
      />
      <SuccessBanner message={done} testId="collections-settings-done" />
      {settings.error ? (
        <LoadError error={settings.error} retry={settings.reload} />
      ) : !s ? (
        <Loading what="Loading the collections settings" />
      ) : (
        <>
          <Card
            title="Settings"
            testId="collections-settings"
            actions={canEdit && <button type="button" className="button-small" onClick={() => open('settings')} data-testid="edit-collections-settings">Change settings</button>}
          >
            <Facts
              items={[
                ['Minimum past due', <span data-testid="setting-minimum">{formatCents(s.minimumPastDueCents)}</span>],
                ['Reconnection fee', <span data-testid="setting-reconnect-fee">{formatCents(s.reconnectFeeCents)}</span>],
                ['After-hours fee', <span data-testid="setting-after-hours-fee">{formatCents(s.afterHoursFeeCents)}</span>],
                ['Business hours', <span data-testid="setting-hours">{s.businessHoursFrom}–{s.businessHoursTo}</span>],
                ['Home state', s.homeState],
                ['Late fee', `${s.lateFeeBusinessDays} business days after the due date`],
                ['Notice', `${s.noticeBusinessDays} business days after the due date`],
                ['Disconnection after a mailed notice', <span data-testid="setting-mailed-days">{s.mailedNoticeBusinessDays} business days</span>],
                ['Out-of-state notice', <span data-testid="setting-out-of-state-days">{s.outOfStateNoticeBusinessDays} business days</span>],
              ]}
            />
            <dl className="facts facts-wide">
              <div>
                <dt>Help paying (on the disconnect notice)</dt>
                <dd data-testid="setting-assistance">{s.assistanceText}</dd>
              </div>
            </dl>
          </Card>
          <Card title="The path" testId="collections-steps">
            <p className="small muted">In order. A step counts its days from the due date of the oldest unpaid bill, from the step before, or from the day service was disconnected; it is taken on the first run on or after its day, when the past-due amount reaches its minimum and no protection holds it.</p>
            <DataTable columns={stepColumns(canEdit ? (step) => open(step) : null)} rows={s.steps} rowKey={(x) => x.code} testId="collections-steps-table" />
          </Card>
          {canEdit && (
            <>
              <SettingsDialog settings={s} open={editing === 'settings'} onClose={() => setEditing(null)} onSaved={() => saved('Collections settings saved.')} />
              <StepDialog step={editing !== null && editing !== 'settings' ? editing : null} onClose={() => setEditing(null)} onSaved={(x) => saved(`Step "${x.label}" saved: ${stepDay(x)}${x.active ? '' : ', off'}.`)} />
            </>
          )}
        </>
      )}
    </>
  );
}
