// The coloured classification bar shown at the top and bottom of every page.
import { CLASSIFICATION_CLASS, markingText, usePageMarking } from '../classification.tsx';

export function ClassificationBanner({ position }: { position: 'top' | 'bottom' }) {
  const marking = usePageMarking();
  const text = markingText(marking);
  return (
    <div
      className={`fw-classification ${CLASSIFICATION_CLASS[marking.classification]}`}
      data-testid={`classification-banner-${position}`}
      data-classification={marking.classification}
      data-marking={text}
    >
      <p className="fw-classification__text">
        <span className="usa-sr-only">{position === 'top' ? 'Page classification: ' : 'End of page. Page classification: '}</span>
        {text}
      </p>
    </div>
  );
}
