/**
 * Closes an open menu or dropdown on Esc and on a press outside it. Esc is taken in the capture
 * phase and marked handled, so it closes the menu only (the workspace's Esc, which clears the
 * selection, skips handled keys); the focus goes back to the menu's button.
 */
import { useEffect, type RefObject } from 'react';

export function useDismiss(open: boolean, close: () => void, root: RefObject<HTMLElement | null>, button?: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    if (!open) return;
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      e.stopPropagation();
      close();
      button?.current?.focus();
    };
    const onPointerDown = (e: PointerEvent) => {
      const el = root.current;
      if (el && e.target instanceof Node && el.contains(e.target)) return;
      close();
    };
    window.addEventListener('keydown', onKeyDown, true);
    window.addEventListener('pointerdown', onPointerDown, true);
    return () => {
      window.removeEventListener('keydown', onKeyDown, true);
      window.removeEventListener('pointerdown', onPointerDown, true);
    };
  }, [open, close, root, button]);
}
