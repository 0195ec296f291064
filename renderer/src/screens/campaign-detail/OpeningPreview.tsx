import { openingProblems, renderOpening, SAMPLE_CONTACT, type CampaignSettings } from '../../../../electron/contracts';

/**
 * The opening as a contact (a sample one, "Jo Smith") will hear it, disclosure included, and what
 * would make launch refuse it: an unfilled placeholder, the campaign's internal name.
 */
export function OpeningPreview({ settings, campaignName, disclosure }: { settings: CampaignSettings; campaignName: string; disclosure: boolean }) {
  const rendered = renderOpening({ ...settings, disclosure }, SAMPLE_CONTACT);
  const problems = openingProblems(rendered, campaignName, settings.companyName);
  const anonymous = !settings.openingLine.trim() && !settings.companyName.trim();
  return (
    <div className="opening-preview" data-testid="opening-preview">
      <span className="muted small">A contact named {SAMPLE_CONTACT.name} hears:</span>
      <q data-testid="opening-preview-text">{rendered.text}</q>
      {anonymous && (
        <span className="field-warning" data-testid="opening-anonymous">
          Without a company name the opening does not say who is calling.
        </span>
      )}
      {problems.map((problem) => (
        <span className="field-error" key={problem} data-testid="opening-problem">
          Launch will be refused: {problem}
        </span>
      ))}
    </div>
  );
}
