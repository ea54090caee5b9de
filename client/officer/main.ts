// Entry point of the officer console (officer.html, served at /officer): a separate entry from
// the discloser pages, so disclosers never download it.
import { mount } from 'svelte';
import OfficerApp from './OfficerApp.svelte';
import '../styles/base.css';
import './styles/officer.css';

// No form here is ever submitted by the browser (see client/main.ts): a failed handler must not
// put a passphrase or a password into a URL.
document.addEventListener('submit', (event) => event.preventDefault(), true);

const target = document.getElementById('app');
if (target === null) throw new Error('the page has no #app element');
target.replaceChildren();
mount(OfficerApp, { target });
