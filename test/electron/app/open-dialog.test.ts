/**
 * Electron's Open dialog on the main side (electron/app/open-dialog.ts), with Electron mocked:
 * modal to the focused window, JSON filter, several files; a cancel (or no file) is null.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

const { showOpenDialog, focused } = vi.hoisted(() => ({
  showOpenDialog: vi.fn(),
  focused: { current: null as { id: number } | null },
}));
vi.mock('electron', () => ({
  dialog: { showOpenDialog },
  BrowserWindow: { getFocusedWindow: () => focused.current, getAllWindows: () => [] },
}));

const { chooseFilesDialog, OPEN_DIALOG_OPTIONS } = await import('../../../electron/app/open-dialog');

beforeEach(() => { showOpenDialog.mockReset(); focused.current = null; });

describe('the Open dialog', () => {
  it('asks for JSON files, several at once, modal to the focused window, and returns their paths', async () => {
    focused.current = { id: 7 };
    showOpenDialog.mockResolvedValue({ canceled: false, filePaths: ['/data/tenant.json', '/data/routes.json'] });
    await expect(chooseFilesDialog()).resolves.toEqual(['/data/tenant.json', '/data/routes.json']);
    expect(showOpenDialog).toHaveBeenCalledExactlyOnceWith({ id: 7 }, OPEN_DIALOG_OPTIONS);
    expect(OPEN_DIALOG_OPTIONS.properties).toEqual(['openFile', 'multiSelections']);
    expect(OPEN_DIALOG_OPTIONS.filters?.[0]?.extensions).toEqual(['json']);
  });

  it('is null when cancelled or when nothing was chosen', async () => {
    showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    await expect(chooseFilesDialog()).resolves.toBeNull();
    expect(showOpenDialog).toHaveBeenCalledWith(OPEN_DIALOG_OPTIONS);
    showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [] });
    await expect(chooseFilesDialog()).resolves.toBeNull();
  });
});
