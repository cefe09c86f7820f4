// Mailroom console: plain JS, no build. Signs in with Keycloak (authorization code flow + PKCE,
// RFC 7636, public client mailroom-console), then talks to the gateway's /api with the token.
// Every value from the server is put in the page as text (textContent), never as HTML; a message's
// HTML body is shown in a sandboxed iframe without scripts.
'use strict';

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v == null) continue;
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
  }
  children.flat().forEach((c) => c != null && e.append(c));
  return e;
};
const state = { cfg: null, presets: [], accounts: [], account: null, mailbox: null, cursor: null, lastEventId: null,
  boxes: [], rolesAccount: null, pending: new Map() };

// ---- Sign-in (OIDC code flow with PKCE) ----
const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const randomText = (n) => b64url(crypto.getRandomValues(new Uint8Array(n)));
const endpoint = (name) => `${state.cfg.issuer}/protocol/openid-connect/${name}`;
const redirectUri = () => `${location.origin}/`;

async function signIn() {
  const verifier = randomText(48);
  const st = randomText(16);
  sessionStorage.setItem('pkce', JSON.stringify({ verifier, state: st }));
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const q = new URLSearchParams({ client_id: state.cfg.clientId, redirect_uri: redirectUri(), response_type: 'code',
    scope: 'openid', state: st, code_challenge: challenge, code_challenge_method: 'S256' });
  location.assign(`${endpoint('auth')}?${q}`);
}

async function tokenRequest(form) {
  const r = await fetch(endpoint('token'), { method: 'POST', body: new URLSearchParams({ client_id: state.cfg.clientId, ...form }) });
  if (!r.ok) throw new Error(`sign-in failed (${r.status})`);
  const t = await r.json();
  sessionStorage.setItem('tokens', JSON.stringify({ access: t.access_token, refresh: t.refresh_token, idToken: t.id_token,
    exp: Date.now() + t.expires_in * 1000 }));
}

async function completeSignIn() {
  const q = new URLSearchParams(location.search);
  if (!q.has('code')) return;
  const saved = JSON.parse(sessionStorage.getItem('pkce') || '{}');
  history.replaceState(null, '', '/');
  if (q.get('state') !== saved.state) throw new Error('the sign-in answer does not match this browser session; sign in again');
  sessionStorage.removeItem('pkce');
  await tokenRequest({ grant_type: 'authorization_code', code: q.get('code'), redirect_uri: redirectUri(), code_verifier: saved.verifier });
}

async function accessToken() {
  const t = JSON.parse(sessionStorage.getItem('tokens') || 'null');
  if (!t) return null;
  if (Date.now() < t.exp - 30000) return t.access;
  try { await tokenRequest({ grant_type: 'refresh_token', refresh_token: t.refresh }); } catch { sessionStorage.removeItem('tokens'); return null; }
  return JSON.parse(sessionStorage.getItem('tokens')).access;
}

function signOut() {
  const t = JSON.parse(sessionStorage.getItem('tokens') || '{}');
  sessionStorage.clear();
  const q = new URLSearchParams({ client_id: state.cfg.clientId, post_logout_redirect_uri: redirectUri() });
  if (t.idToken) q.set('id_token_hint', t.idToken);
  location.assign(`${endpoint('logout')}?${q}`);
}

// ---- The gateway ----
class ApiError extends Error {
  constructor(status, problem) { super(problem?.detail || `HTTP ${status}`); this.status = status; this.problem = problem || {}; }
}
async function api(path, options = {}) {
  const token = await accessToken();
  if (!token) { showSignedOut(); throw new ApiError(401, { detail: 'signed out' }); }
  const headers = { Authorization: `Bearer ${token}`, ...(options.body ? { 'Content-Type': 'application/json' } : {}), ...(options.headers || {}) };
  const r = await fetch(path, { ...options, headers });
  if (r.status === 401) { sessionStorage.removeItem('tokens'); showSignedOut(); }
  const text = await r.text();
  const body = text ? JSON.parse(text) : null;
  if (!r.ok) throw new ApiError(r.status, body);
  return body;
}
const notice = (text) => { $('notice').textContent = text; };

// ---- Accounts ----
async function loadAccounts() {
  state.accounts = await api('/api/accounts');
  const list = $('accounts');
  list.replaceChildren();
  if (!state.accounts.length) list.append(el('li', { text: 'No account yet: add one below.' }));
  for (const a of state.accounts) list.append(await accountItem(a));
}

async function accountItem(a) {
  const li = el('li', { 'data-account': a.id });
  const title = `${a.displayName || a.email || a.username}`;
  li.append(el('h3', {}, title, ' ', el('span', { class: `badge ${a.status}`, text: a.status })));
  li.append(el('p', { class: 'hint', text: `${a.username} at ${a.host}:${a.port} (${a.security})` }));
  if (a.status === 'disconnected') {
    li.append(el('div', { class: 'banner', role: 'alert' },
      el('p', { text: 'This account is disconnected: Mailroom could not connect to it for 30 minutes and stopped trying.' }),
      a.lastError?.remedy ? el('p', { text: a.lastError.remedy }) : null,
      el('button', { type: 'button', class: 'primary', onclick: () => reconnect(a) , text: 'Reconnect' })));
  } else if (a.lastError && a.status !== 'connected') {
    li.append(el('div', { class: 'error' },
      el('p', { text: `Last error (${a.lastError.category}): ${a.lastError.detail || ''}` }),
      a.lastError.remedy ? el('p', { text: a.lastError.remedy }) : null));
  }
  if (a.unmappedRoles?.length) {
    li.append(el('p', { class: 'warning', text: `No mailbox for ${a.unmappedRoles.map((r) => ROLE_NAMES[r] || r).join(', ')}: `
      + 'actions that need one are refused until you map it (Mailbox roles).' }));
  }
  try {
    const boxes = await api(`/api/accounts/${a.id}/mailboxes`);
    const progress = el('div', { class: 'progress-list' });
    for (const m of boxes) {
      const total = m.total || 0; const stored = Math.min(m.stored || 0, total);
      progress.append(el('div', { class: 'progress' }, el('span', { text: m.path }),
        el('progress', { max: String(Math.max(total, 1)), value: String(total ? stored : 1), 'aria-label': `${m.path} synced` }),
        el('span', { text: `${stored} / ${total}` })));
    }
    li.append(progress);
  } catch { /* the account shows without its progress */ }
  li.append(el('div', { class: 'actions' },
    el('button', { type: 'button', onclick: () => openAccount(a), text: `Open mail of ${title}` }),
    el('button', { type: 'button', onclick: () => openRoles(a), text: `Mailbox roles of ${title}` }),
    el('button', { type: 'button', onclick: () => removeAccount(a), text: 'Delete' })));
  return li;
}

async function reconnect(a) {
  try { await api(`/api/accounts/${a.id}/reconnect`, { method: 'POST' }); notice(`Reconnecting ${a.displayName || a.username}…`); await loadAccounts(); }
  catch (e) { notice(e.message); }
}
async function removeAccount(a) {
  if (!confirm(`Delete ${a.displayName || a.username} from Mailroom? The mail on the server stays.`)) return;
  try { await api(`/api/accounts/${a.id}`, { method: 'DELETE' }); notice('Account deleted.'); await loadAccounts(); }
  catch (e) { notice(e.message); }
}

// ---- Add an account ----
async function loadPresets() {
  try { state.presets = await api('/api/presets'); } catch { state.presets = []; }
  const select = $('preset');
  for (const p of state.presets) select.append(el('option', { value: p.name, text: p.label || p.name }));
}
function presetChosen() {
  const p = state.presets.find((x) => x.name === $('preset').value);
  const hint = $('preset-hint');
  hint.hidden = !p?.appPassword;
  hint.textContent = p?.appPassword || '';
  if (p?.imap) { $('host').value = p.imap.host; $('port').value = p.imap.port; $('security').value = p.imap.security; }
}
function showAddForm(show) {
  $('add-form').hidden = !show;
  $('show-add').setAttribute('aria-expanded', String(show));
  if (show) $('preset').focus();
}
async function addAccount(event) {
  event.preventDefault();
  const error = $('add-error');
  error.hidden = true;
  const body = { displayName: $('displayName').value, email: $('email').value || null, host: $('host').value,
    port: Number($('port').value), security: $('security').value, username: $('username').value, password: $('password').value };
  if (!$('cert-warning').hidden && $('allow-cert').checked) body.allowCertificateSha256 = $('cert-fingerprint').textContent;
  if (body.security === 'none') { $('clear-warning').hidden = false; body.acknowledgeNoEncryption = $('ack-clear').checked; }
  try {
    await api('/api/accounts', { method: 'POST', body: JSON.stringify(body) });
    $('add-form').reset(); $('cert-warning').hidden = true; showAddForm(false);
    notice('Account added: Mailroom is syncing it.');
    await loadAccounts();
  } catch (e) {
    const p = e.problem;
    if (p.connection?.category === 'CERTIFICATE_SELF_SIGNED' && p.connection.certificateSha256) {
      $('cert-fingerprint').textContent = p.connection.certificateSha256;
      $('allow-cert').checked = false;
      $('cert-warning').hidden = false;
    }
    error.replaceChildren(el('p', { text: p.detail || e.message }),
      ...(p.errors || []).map((f) => el('p', { text: `${f.field}: ${f.message}` })));
    error.hidden = false;
    error.focus?.();
  }
}

// ---- Mail ----
async function openAccount(a) {
  state.account = a;
  $('mail-section').hidden = false;
  $('mail-title').textContent = `Mail of ${a.displayName || a.username}`;
  await loadMailboxes();
  await openMailbox('INBOX');
  $('mail-section').scrollIntoView();
}
async function loadMailboxes() {
  const boxes = await api(`/api/accounts/${state.account.id}/mailboxes`);
  state.boxes = boxes;
  $('mailboxes').replaceChildren(...boxes.map((m) => el('li', {}, el('button', { type: 'button', 'data-mailbox': m.path,
    'aria-current': String(m.path === state.mailbox), onclick: () => openMailbox(m.path) },
    `${m.path}${m.unread ? ` (${m.unread})` : ''}`, m.role ? el('span', { class: 'from', text: `${ROLE_NAMES[m.role] || m.role} role` }) : null))));
  showUnmapped(state.accounts.find((a) => a.id === state.account.id));
}
// keep: a live refresh of the list leaves the open message open.
async function openMailbox(path, more = false, keep = false) {
  state.mailbox = path;
  if (!more) { state.cursor = null; $('messages').replaceChildren(); if (!keep) $('message').hidden = true; }
  document.querySelectorAll('#mailboxes button').forEach((b) => b.setAttribute('aria-current', String(b.dataset.mailbox === path)));
  $('mailbox-title').textContent = path;
  const q = new URLSearchParams({ mailbox: path, limit: '50', ...(state.cursor ? { cursor: state.cursor } : {}) });
  const page = await api(`/api/accounts/${state.account.id}/messages?${q}`);
  for (const m of page.items) $('messages').append(messageItem(m));
  state.cursor = page.nextCursor;
  $('more').hidden = !page.nextCursor;
}
function messageItem(m) {
  const from = (m.from || []).map((a) => a.name || a.address).join(', ');
  const unread = !(m.flags || []).includes('\\Seen');
  return el('li', {}, el('button', { type: 'button', class: unread ? 'unread' : '', 'data-message': m.id,
    onclick: (ev) => openMessage(m.id, ev.currentTarget) },
    `${(m.flags || []).includes('\\Flagged') ? '★ ' : ''}${m.subject || '(no subject)'}`,
    el('span', { class: 'from', text: `${from} · ${m.date ? new Date(m.date).toLocaleString() : ''}` })));
}
async function openMessage(id, button) {
  if (button) document.querySelectorAll('#messages button').forEach((b) => b.setAttribute('aria-current', String(b === button)));
  const m = await api(`/api/accounts/${state.account.id}/messages/${encodeURIComponent(id)}`);
  const who = (list) => (list || []).map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)).join(', ');
  const article = $('message');
  article.replaceChildren(el('h3', { text: m.subject || '(no subject)' }),
    el('p', { class: 'hint', text: `From ${who(m.from)} to ${who(m.to)}${m.date ? ` · ${new Date(m.date).toLocaleString()}` : ''}` }));
  if (m.attachments?.length) {
    article.append(el('h4', { text: 'Attachments' }),
      el('ul', {}, m.attachments.map((a) => el('li', {}, `${a.filename || a.part} (${a.contentType}, ${a.size} bytes) `,
        el('button', { type: 'button', onclick: () => download(m, a), text: `Download ${a.filename || a.part}` })))));
  }
  const flags = (m.locations || [])[0]?.flags || [];
  const seen = flags.includes('\\Seen'); const starred = flags.includes('\\Flagged');
  article.append(el('div', { class: 'actions', role: 'toolbar', 'aria-label': 'Message actions' },
    el('button', { type: 'button', onclick: () => act(m, 'PATCH', '', { seen: !seen }, seen ? 'Marked unread.' : 'Marked read.'), text: seen ? 'Mark unread' : 'Mark read' }),
    el('button', { type: 'button', onclick: () => act(m, 'PATCH', '', { flagged: !starred }, starred ? 'Star removed.' : 'Starred.'), text: starred ? 'Unstar' : 'Star' }),
    el('button', { type: 'button', onclick: () => act(m, 'POST', '/move', { role: 'archive' }, 'Archived.'), text: 'Archive' }),
    el('button', { type: 'button', onclick: () => act(m, 'POST', '/move', { role: 'trash' }, 'Moved to Trash.'), text: 'Trash' }),
    el('button', { type: 'button', onclick: () => replyForm(m, article), text: 'Reply' })));
  if (m.htmlBody) {
    const frame = el('iframe', { sandbox: '', title: 'Message body', referrerpolicy: 'no-referrer' });
    frame.srcdoc = m.htmlBody;
    article.append(frame);
  } else {
    article.append(el('pre', { text: m.textBody || m.snippet || '' }));
  }
  article.hidden = false;
  article.focus();
}

// ---- Actions (applied on the server through the connector; the list follows from the events) ----
async function act(m, method, suffix, body, done) {
  try {
    const accepted = await api(`/api/accounts/${state.account.id}/messages/${encodeURIComponent(m.id)}${suffix}`,
      { method, body: JSON.stringify(body), headers: { 'Idempotency-Key': crypto.randomUUID() } });
    if (accepted?.commandId) state.pending.set(accepted.commandId, done);
    // Before the next await: the outcome's event, handled at an await, must not be overwritten.
    notice(`${done} The server is being updated.`);
    await openMessage(m.id, null); // as the store shows it now: the asked state, pending
  } catch (e) {
    if (!showNotConfigured(e, $('message'), () => act(m, method, suffix, body, done))) notice(e.problem?.detail || e.message);
  }
}
// An attachment, streamed by the gateway from the server; fetched with the token, saved from a blob.
async function download(m, a) {
  try {
    const r = await fetch(`/api/accounts/${state.account.id}/messages/${encodeURIComponent(m.id)}/attachments/${encodeURIComponent(a.part)}`,
      { headers: { Authorization: `Bearer ${await accessToken()}` } });
    if (!r.ok) throw new Error(`the attachment could not be fetched (HTTP ${r.status})`);
    const url = URL.createObjectURL(await r.blob());
    const link = el('a', { href: url, download: a.filename || `part-${a.part}` });
    document.body.append(link); link.click(); link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (e) { notice(e.message); }
}
function replyForm(m, article) {
  const to = (m.from || [])[0]?.address || '';
  const text = el('textarea', { id: 'reply-text', rows: '6' });
  const form = el('form', { class: 'card', 'aria-label': 'Reply' },
    el('p', { text: `Reply to ${to}` }), el('label', { for: 'reply-text', text: 'Your reply' }), text,
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: 'Send reply' })));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const queued = await api(`/api/accounts/${state.account.id}/outbox`, { method: 'POST', headers: { 'Idempotency-Key': crypto.randomUUID() },
        body: JSON.stringify({ to: [to], subject: /^re:/i.test(m.subject || '') ? m.subject : `Re: ${m.subject || ''}`,
          text: text.value, inReplyTo: m.id }) });
      if (queued?.id) state.pending.set(queued.id, 'Reply');
      form.replaceChildren(el('p', { text: 'Reply queued for sending.' }));
      notice('Reply queued for sending.');
    } catch (e) { notice(e.problem?.detail || e.message); }
  });
  article.append(form);
  text.focus();
}
async function search(event) {
  event.preventDefault();
  const q = $('search-q').value.trim();
  if (!q || !state.account) return;
  try {
    const r = await api(`/api/accounts/${state.account.id}/search?${new URLSearchParams({ q })}`);
    $('mailbox-title').textContent = `Search: ${q} (${r.route}${r.partial ? ', partial' : ''})`;
    $('messages').replaceChildren(...r.results.map((x) => el('li', {}, el('button', { type: 'button', 'data-message': x.identity || '',
      disabled: x.identity ? null : 'true', onclick: (ev) => x.identity && openMessage(x.identity, ev.currentTarget) },
      x.subject || '(no subject)', el('span', { class: 'from', text: `${x.from || ''} · ${x.mailbox}` })))));
    if (!r.results.length) $('messages').append(el('li', { text: 'Nothing found.' }));
    $('more').hidden = true;
  } catch (e) { notice(e.problem?.detail || e.message); }
}

// ---- Live updates (GET /api/events, read with fetch: EventSource cannot send a bearer token) ----
let refreshTimer = null;
function refreshSoon(what) {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(async () => {
    try {
      if (what.accounts) await loadAccounts();
      if (state.account && what.mail) { await loadMailboxes(); await openMailbox(state.mailbox, false, true); }
    } catch { /* shown on the next action */ }
  }, 300);
}
function onEvent(name, data) {
  if (name === 'account.status' || name === 'account.deleted' || name === 'mailbox.changed') refreshSoon({ accounts: true, mail: name === 'mailbox.changed' && data.accountId === state.account?.id });
  if (name.startsWith('message.') && data.accountId === state.account?.id && data.mailbox === state.mailbox) refreshSoon({ mail: true });
  // What the console asked for, as the server answered: the command's outcome, the send's progress.
  const asked = state.pending.get(data.commandId || data.outboxId);
  if (!asked) return;
  if (name === 'command.applied') notice(`${asked} Done on the server.`);
  else if (name === 'command.failed') notice(`${asked.replace(/\.$/, '')}: the server refused (${data.reason}): ${data.detail || ''}`);
  else if (name === 'outbox.sent') notice(`${asked} sent: ${data.smtpReply || ''}`);
  else if (name === 'outbox.retrying') notice(`${asked} not sent yet, will retry: ${data.lastReason || ''}`);
  else if (name === 'outbox.failed') notice(`${asked} could not be sent: ${data.lastReason || ''}`);
  if (name === 'command.applied' || name === 'command.failed' || name === 'outbox.sent' || name === 'outbox.failed') state.pending.delete(data.commandId || data.outboxId);
}
async function followEvents() {
  for (;;) {
    try {
      const token = await accessToken();
      if (!token) return;
      const headers = { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' };
      if (state.lastEventId) headers['Last-Event-ID'] = state.lastEventId;
      const r = await fetch('/api/events', { headers });
      if (r.status === 400) state.lastEventId = null;
      if (!r.ok) throw new Error(`events: HTTP ${r.status}`);
      document.body.dataset.live = 'on';
      const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end); buffer = buffer.slice(end + 2);
          let name = 'message'; let data = ''; let id = null;
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) name = line.slice(6).trim();
            else if (line.startsWith('data:')) data += line.slice(5).trim();
            else if (line.startsWith('id:')) id = line.slice(3).trim();
          }
          if (id) state.lastEventId = id;
          if (data) onEvent(name, JSON.parse(data));
        }
      }
    } catch { /* reconnect below */ }
    document.body.dataset.live = 'off';
    await new Promise((r) => setTimeout(r, 2000));
  }
}

// ---- Start ----
function showSignedOut() { $('signed-out').hidden = false; $('app').hidden = true; $('sign-out').hidden = true; }
async function start() {
  state.cfg = await (await fetch('/console/config')).json();
  $('sign-in').addEventListener('click', signIn);
  $('sign-out').addEventListener('click', signOut);
  $('show-add').addEventListener('click', () => showAddForm($('add-form').hidden));
  $('cancel-add').addEventListener('click', () => showAddForm(false));
  $('add-form').addEventListener('submit', addAccount);
  $('preset').addEventListener('change', presetChosen);
  $('security').addEventListener('change', () => { $('clear-warning').hidden = $('security').value !== 'none'; });
  $('more').addEventListener('click', () => openMailbox(state.mailbox, true));
  $('search-form').addEventListener('submit', search);
  $('roles-form').addEventListener('submit', saveRoles);
  $('close-roles').addEventListener('click', () => { $('roles-section').hidden = true; });
  try { await completeSignIn(); } catch (e) { notice(e.message); }
  if (!(await accessToken())) { showSignedOut(); return; }
  const claims = JSON.parse(atob(JSON.parse(sessionStorage.getItem('tokens')).access.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  $('who').textContent = claims.preferred_username || '';
  $('signed-out').hidden = true; $('app').hidden = false; $('sign-out').hidden = false;
  await loadPresets();
  await loadAccounts();
  followEvents();
}
start();
