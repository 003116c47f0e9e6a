import { useEffect, useState } from 'react';
import type { Theme } from '../graph/style';

/** The OS colour scheme, live (`prefers-color-scheme`). */
export function useTheme(): Theme {
  const query = '(prefers-color-scheme: dark)';
  const [theme, setTheme] = useState<Theme>(() => (window.matchMedia(query).matches ? 'dark' : 'light'));
  useEffect(() => {
    const mql = window.matchMedia(query);
    const onChange = () => setTheme(mql.matches ? 'dark' : 'light');
    mql.addEventListener('change', onChange);
    return () => mql.removeEventListener('change', onChange);
  }, []);
  return theme;
}
