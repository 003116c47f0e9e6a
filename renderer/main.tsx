import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App';
import { getApi } from './bridge';
import { prewarmGraphWorker } from './layout-client';
import './test-hook';
import './styles.css';

// Take the bridge token out of the address bar before anything else renders.
getApi();
// The layout worker's code (ELK) takes a moment to load: start it while the start screen shows.
prewarmGraphWorker();

const root = document.getElementById('root');
if (root) createRoot(root).render(<StrictMode><App /></StrictMode>);
