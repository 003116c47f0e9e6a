import { useState } from 'react';
import { copyText } from '../util';

/**
 * `name` is the accessible name: several Copy buttons sit in one pane (one per hop), and each must
 * say what it copies; the visible label stays short.
 */
export function CopyButton({ text, label = 'Copy', name }: { readonly text: string; readonly label?: string; readonly name?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button type="button" className="btn small" aria-label={name} onClick={() => {
      void copyText(text).then((ok) => {
        setCopied(ok);
        if (ok) window.setTimeout(() => setCopied(false), 1500);
      });
    }}>
      {copied ? <span className="copy-ok">Copied</span> : label}
    </button>
  );
}
