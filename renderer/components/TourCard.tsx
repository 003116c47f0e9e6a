/**
 * The guided tour's lesson card. Lesson text is plain text with Microsoft Learn URLs in it: those
 * become links (http(s) only, opened outside the app, rel=noopener noreferrer); everything else
 * stays a text node (no HTML is ever parsed from lesson text).
 */
import type { TrainingLesson } from '../../shared/demo/training';

export interface TourProps {
  readonly lessons: readonly TrainingLesson[];
  readonly step: number;
  readonly onStep: (step: number) => void;
  readonly onEnd: () => void;
}

export type TextPart = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'link'; readonly href: string };

/** A URL in prose: up to whitespace or a closing bracket; a trailing full stop or comma is the sentence's. */
const URL_PATTERN = /https?:\/\/[^\s)<>"]+/g;

/** Splits prose into text and http(s) links. Pure. */
export function textWithLinks(text: string): readonly TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const m of text.matchAll(URL_PATTERN)) {
    const href = m[0].replace(/[.,;:!?]+$/, '');
    const start = m.index;
    if (start > at) parts.push({ kind: 'text', text: text.slice(at, start) });
    // URL() rejects anything malformed; only http(s) survive the pattern anyway.
    if (URL.canParse(href)) parts.push({ kind: 'link', href });
    else parts.push({ kind: 'text', text: href });
    at = start + href.length;
  }
  if (at < text.length) parts.push({ kind: 'text', text: text.slice(at) });
  return parts;
}

/** A readable link text: the page's host and path, without the scheme. */
function linkText(href: string): string {
  const url = new URL(href);
  return `${url.host}${url.pathname.replace(/\/$/, '')}`;
}

export function TourCard({ lessons, step, onStep, onEnd }: TourProps) {
  const lesson = lessons[step];
  if (!lesson) return null;
  return (
    <div className="tour" data-testid="tour">
      <div className="step">Lesson {step + 1} of {lessons.length}</div>
      <h2>{lesson.title}</h2>
      <p data-testid="tour-text">
        {textWithLinks(lesson.text).map((part, i) => (part.kind === 'text'
          ? part.text
          // In Electron the shell opens target=_blank links externally (new windows are denied).
          : <a key={i} href={part.href} target="_blank" rel="noopener noreferrer" data-testid="tour-link">{linkText(part.href)}</a>))}
      </p>
      <div className="nav">
        <button type="button" className="btn small" disabled={step === 0} onClick={() => onStep(step - 1)}>Previous</button>
        <button type="button" className="btn small primary" disabled={step >= lessons.length - 1} onClick={() => onStep(step + 1)}>Next</button>
        <span style={{ flex: 1 }} />
        <button type="button" className="btn small ghost" onClick={onEnd}>End tour</button>
      </div>
    </div>
  );
}
