import type { IpcError } from '../../shared/ipc/contract';

const HEADLINES: Partial<Record<IpcError['code'], string>> = {
  unsupported: 'Not available here',
  'input-error': 'This file cannot be read',
  'integrity-error': 'This snapshot cannot be trusted',
};

/** An IPC error shown as data: code, message, and for input errors the file and JSON path. */
export function ErrorBanner({ error, onDismiss }: { readonly error: IpcError; readonly onDismiss: () => void }) {
  return (
    <div className="banner error" role="alert">
      <div className="grow">
        <strong>{HEADLINES[error.code] ?? 'Something went wrong'}: </strong>
        <span data-testid="error-message">{error.message}</span>
        {error.file !== undefined ? <div className="mono">{error.file}{error.path !== undefined ? ` · ${error.path}` : ''}</div> : null}
      </div>
      <button type="button" className="btn small ghost" onClick={onDismiss} aria-label="Dismiss error">✕</button>
    </div>
  );
}
