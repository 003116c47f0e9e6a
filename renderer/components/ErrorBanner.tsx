import type { IpcError } from '../../shared/ipc/contract';

/** An IPC error shown as data: code, message, and for input errors the file and JSON path. */
export function ErrorBanner({ error, onDismiss }: { readonly error: IpcError; readonly onDismiss: () => void }) {
  return (
    <div className="banner error" role="alert">
      <div className="grow">
        <strong>{error.code === 'unsupported' ? 'Not available here' : 'Something went wrong'}: </strong>
        <span data-testid="error-message">{error.message}</span>
        {error.file !== undefined ? <div className="mono">{error.file}{error.path !== undefined ? ` · ${error.path}` : ''}</div> : null}
      </div>
      <button type="button" className="btn small ghost" onClick={onDismiss} aria-label="Dismiss error">✕</button>
    </div>
  );
}
