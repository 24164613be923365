import { render } from 'preact';
import { App } from './app/app';
import { registerServiceWorker } from './app/platform';
import './styles.css';

const root = document.getElementById('app');
if (root) render(<App />, root);
void registerServiceWorker();
