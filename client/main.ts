// Entry point of the discloser pages. Everything heavy (crypto/, the worker) is loaded later
// with dynamic import(), so this entry stays under the build's size budget.
import { mount } from 'svelte';
import App from './App.svelte';
import './styles/base.css';

// No form on these pages is ever submitted by the browser: each is handled in script. Should a
// handler ever fail to run, a native submission would put what was typed into a URL or a plain
// request, so every submission is stopped here first (capture phase, before any page handler).
document.addEventListener('submit', (event) => event.preventDefault(), true);

const target = document.getElementById('app');
if (target === null) throw new Error('the page has no #app element');
target.replaceChildren();
mount(App, { target });
