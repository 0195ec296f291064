import type { ImportReport, MatchChoice } from '../../../../electron/contracts';

const CHOICES: Array<{ value: MatchChoice; label: string; detail: string }> = [
  { value: 'skip', label: 'Skip them', detail: 'matching contacts stay exactly as they are' },
  { value: 'fill-empty', label: 'Update empty fields only', detail: 'names and filled fields are kept; tags are added' },
  { value: 'overwrite', label: 'Overwrite', detail: "the file's values replace the contact's, names included" },
];

/**
 * What the whole file would do, before anything is written: new, matching, repeated, invalid and
 * do-not-call rows, and the choice for rows that match an existing contact.
 */
export function ImportCheckSummary({ check, onMatch, setOnMatch }: { check: ImportReport; onMatch: MatchChoice | null; setOnMatch(choice: MatchChoice): void }) {
  return (
    <div data-testid="import-check">
      <div className="report-counts">
        <Count label="new" value={check.imported} testId="check-new" />
        <Count label="match existing contacts" value={check.matched} testId="check-matched" />
        <Count label="repeated in the file" value={check.duplicates} testId="check-duplicates" />
        <Count label="invalid" value={check.rejected} testId="check-invalid" />
        <Count label="on the do-not-call list" value={check.onDnc} testId="check-dnc" />
      </div>
      {check.onDnc > 0 && (
        <p className="small muted" data-testid="check-dnc-note">
          Numbers on the do-not-call list are imported but never called ({check.dncLines.length === 1 ? 'line' : 'lines'} {check.dncLines.slice(0, 10).join(', ')}
          {check.onDnc > 10 ? ', …' : ''}).
        </p>
      )}
      {check.matched > 0 && (
        <fieldset className="match-choice">
          <legend>
            {check.matched === 1 ? 'One row has' : `${check.matched.toLocaleString()} rows have`} the number of an existing contact. What should {check.matched === 1 ? 'it' : 'they'} do?
          </legend>
          {CHOICES.map((choice) => (
            <label key={choice.value} className="inline-check">
              <input type="radio" name="on-match" value={choice.value} checked={onMatch === choice.value} onChange={() => setOnMatch(choice.value)} data-testid={`on-match-${choice.value}`} />{' '}
              <strong>{choice.label}</strong> <span className="muted small">({choice.detail})</span>
            </label>
          ))}
          {onMatch && onMatch !== 'skip' && <RenameList report={{ ...check, renamed: onMatch === 'overwrite' ? check.renamed : [] }} heading="Would rename" />}
        </fieldset>
      )}
      {check.rejections.length > 0 && <Problems report={check} />}
    </div>
  );
}

/** The report once the import ran: counts, renamed contacts (before and after), rejected rows and warnings. */
export function ImportReportView({ report }: { report: ImportReport }) {
  return (
    <div data-testid="import-report">
      <div className="report-counts">
        <Count label="imported" value={report.imported} testId="report-imported" />
        <Count label="updated" value={report.updated} testId="report-updated" />
        {report.target === 'contacts' && <Count label="matching, left unchanged" value={report.unchanged} testId="report-unchanged" />}
        <Count label="duplicates" value={report.duplicates} testId="report-duplicates" />
        <Count label="rejected" value={report.rejected} testId="report-rejected" />
        {report.target === 'contacts' && <Count label="on the do-not-call list" value={report.onDnc} testId="report-dnc" />}
        <span className="muted">
          {report.rows.toLocaleString()} rows in {(report.durationMs / 1000).toFixed(1)} s
        </span>
      </div>
      {report.stoppedEarly && (
        <p className="error">
          Reading stopped at line {report.stoppedEarly.line}: {report.stoppedEarly.reason}. Rows before it were kept.
        </p>
      )}
      <RenameList report={report} heading="Renamed contacts" />
      {report.rejections.length > 0 && <Problems report={report} />}
      {report.warnings.length > 0 && (
        <details>
          <summary>{report.warnings.length} warning(s)</summary>
          <ul className="small">
            {report.warnings.slice(0, 100).map((w) => (
              <li key={`${w.line}-${w.reason}`}>
                line {w.line}: {w.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

function Count({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <span>
      <strong data-testid={testId}>{value.toLocaleString()}</strong> {label}
    </span>
  );
}

function RenameList({ report, heading }: { report: ImportReport; heading: string }) {
  if (report.renamed.length === 0) return null;
  return (
    <>
      <h3>{heading}</h3>
      <div className="preview-table">
        <table className="report-table" data-testid="report-renamed">
          <thead>
            <tr>
              <th>Number</th>
              <th>Name before</th>
              <th>Name after</th>
            </tr>
          </thead>
          <tbody>
            {report.renamed.map((r) => (
              <tr key={r.contactId}>
                <td>{r.phone}</td>
                <td>{r.before || '(none)'}</td>
                <td>{r.after}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Problems({ report }: { report: ImportReport }) {
  return (
    <>
      <h3>Rejected rows{report.rejected > report.rejections.length ? ` (first ${report.rejections.length})` : ''}</h3>
      <div className="preview-table">
        <table className="report-table" data-testid="report-rejections">
          <thead>
            <tr>
              <th>Line</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {report.rejections.map((r) => (
              <tr key={`${r.line}-${r.reason}`}>
                <td>{r.line}</td>
                <td>{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
