import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App';
import { getApi } from './bridge';
import './test-hook';
import './styles.css';

// Take the bridge token out of the address bar before anything else renders.
getApi();

const root = document.getElementById('root');
if (root) createRoot(root).render(<StrictMode><App /></StrictMode>);
