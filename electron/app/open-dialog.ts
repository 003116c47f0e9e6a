/**
 * Electron's Open dialog, on the main side: the chosen snapshot / ARM files are read there
 * (electron/services/load-estate.ts, with progress the page polls through `loadStatus`) instead of
 * being read by the page and sent across IPC as text (a whole-tenant file is 100+ MB).
 * [dialog] https://www.electronjs.org/docs/latest/api/dialog#dialogshowopendialogwindow-options
 */
import { BrowserWindow, dialog, type OpenDialogOptions } from 'electron';

export const OPEN_DIALOG_OPTIONS: OpenDialogOptions = {
  title: 'Open snapshot or ARM / az JSON files',
  properties: ['openFile', 'multiSelections'],
  filters: [{ name: 'Snapshot or ARM / az JSON', extensions: ['json'] }, { name: 'All files', extensions: ['*'] }],
};

/** The chosen paths, or null when the user cancelled. Modal to the focused window when there is one. */
export async function chooseFilesDialog(): Promise<readonly string[] | null> {
  const parent = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  const answer = parent ? await dialog.showOpenDialog(parent, OPEN_DIALOG_OPTIONS) : await dialog.showOpenDialog(OPEN_DIALOG_OPTIONS);
  return answer.canceled || answer.filePaths.length === 0 ? null : answer.filePaths;
}
