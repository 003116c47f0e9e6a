/** Small browser helpers: downloads and clipboard. */

export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noreferrer';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the browser a moment to start the download before the URL goes away.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadText(fileName: string, text: string, type: string): void {
  downloadBlob(fileName, new Blob([text], { type }));
}

export function base64ToBlob(base64: string, type: string): Blob {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new Blob([bytes], { type });
}

/** Clipboard API when allowed; otherwise the old select-and-copy way. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

export async function readFilesAsText(files: readonly File[]): Promise<{ readonly name: string; readonly text: string }[]> {
  return Promise.all(files.map(async (f) => ({ name: f.name, text: await f.text() })));
}

/** A filesystem-friendly stem from an estate title. */
export function fileStem(title: string): string {
  const stem = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return stem === '' ? 'egress-atlas' : stem.slice(0, 60);
}

/**
 * How many characters at the end of a source name stay visible when it is cut in the middle: `tail`,
 * or for a scale set instance's NIC (`aks-nodepool1-31337731-vmss (instance 3)`: every instance
 * NIC of a scale set has the scale set's name) its instance and the few characters before it, so
 * the rows of one node pool are told apart.
 */
export function nameTail(name: string, tail: number): number {
  const instance = / \(instance [^)]*\)$/.exec(name)?.[0].length;
  return instance === undefined ? tail : Math.max(tail, instance + 4);
}
