import { useState } from 'react';
import { copyText } from '../util';

export function CopyButton({ text, label = 'Copy' }: { readonly text: string; readonly label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button type="button" className="btn small" onClick={() => {
      void copyText(text).then((ok) => {
        setCopied(ok);
        if (ok) window.setTimeout(() => setCopied(false), 1500);
      });
    }}>
      {copied ? <span className="copy-ok">Copied</span> : label}
    </button>
  );
}
