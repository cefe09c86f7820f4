// Mailbox roles of the console: which mailbox is Archive, Sent, Trash, Junk and Drafts
// (GET/PUT /api/accounts/{id}/roles), and the 409 "Mailboxes not configured" an action answers when
// a role has no mailbox, shown with its fix and a way to map the role right there. Loaded before
// console.js, whose helpers ($, el, api, notice, state) it uses when called.
'use strict';

const ROLE_NAMES = { archive: 'Archive', sent: 'Sent', trash: 'Trash', junk: 'Junk', drafts: 'Drafts' };
const NOT_CONFIGURED = 'urn:mailroom:problem:mailboxes-not-configured';

function roleHint(r) {
  if (!r) return 'No mailbox plays this role: actions that need it answer "Mailboxes not configured" until you choose one.';
  if (r.source === 'owner') return `Your choice: ${r.path}.`;
  if (r.source === 'special-use') return `Detected from the server (SPECIAL-USE): ${r.path}.`;
  return `Guessed from its name: ${r.path}.`;
}

async function openRoles(a) {
  state.rolesAccount = a;
  const [roles, boxes] = await Promise.all([api(`/api/accounts/${a.id}/roles`), api(`/api/accounts/${a.id}/mailboxes`)]);
  $('roles-title').textContent = `Mailbox roles of ${a.displayName || a.username}`;
  const fields = $('roles-fields');
  fields.replaceChildren();
  for (const role of Object.keys(ROLE_NAMES)) {
    const r = roles.roles[role];
    const owned = r?.source === 'owner';
    const select = el('select', { id: `role-${role}`, 'data-role': role, 'data-owner': String(owned), 'aria-describedby': `role-${role}-hint` },
      el('option', { value: '', text: r && !owned ? `Detected: ${r.path}` : 'Detect automatically' }),
      boxes.map((m) => el('option', { value: m.path, text: m.path })));
    select.value = owned ? r.path : '';
    fields.append(el('label', { for: select.id, text: ROLE_NAMES[role] }), select,
      el('p', { class: 'hint', id: `role-${role}-hint`, text: roleHint(r) }));
  }
  $('roles-error').hidden = true;
  $('roles-section').hidden = false;
  $('roles-section').scrollIntoView();
  fields.querySelector('select').focus();
}

async function saveRoles(event) {
  event.preventDefault();
  const a = state.rolesAccount;
  const body = {};
  for (const s of document.querySelectorAll('#roles-fields select')) {
    if (s.value) body[s.dataset.role] = s.value;
    else if (s.dataset.owner === 'true') body[s.dataset.role] = null; // back to detection
  }
  if (!Object.keys(body).length) { notice('Nothing to change.'); return; }
  try {
    await mapRoles(a.id, body);
    notice('Mailbox roles saved.');
    await openRoles(a);
  } catch (e) {
    $('roles-error').replaceChildren(el('p', { text: e.problem?.detail || e.message }));
    $('roles-error').hidden = false;
    $('roles-error').focus();
  }
}

async function mapRoles(accountId, body) {
  const after = await api(`/api/accounts/${accountId}/roles`, { method: 'PUT', body: JSON.stringify(body) });
  await loadAccounts();
  if (state.account?.id === accountId) await loadMailboxes();
  return after;
}

// Under the mailbox list: the roles of the open account that no mailbox plays.
function showUnmapped(account) {
  const p = $('unmapped');
  const missing = account?.unmappedRoles || [];
  p.hidden = !missing.length;
  p.replaceChildren(...(missing.length ? [`No mailbox for ${missing.map((r) => ROLE_NAMES[r] || r).join(', ')}. `,
    el('button', { type: 'button', onclick: () => openRoles(account), text: 'Map mailbox roles' })] : []));
}

/** True when the error was the conflict and is now shown in {@code where}, with a way to fix it and retry. */
function showNotConfigured(e, where, retry) {
  if (e.status !== 409 || e.problem?.type !== NOT_CONFIGURED) return false;
  document.getElementById('not-configured')?.remove();
  const missing = (e.problem.errors || []).map((f) => f.field.replace(/^roles\./, '')).filter((r) => ROLE_NAMES[r]);
  const box = el('div', { id: 'not-configured', class: 'error', role: 'alert', tabindex: '-1' },
    el('p', {}, el('strong', { text: e.problem.title || 'Mailboxes not configured' })), el('p', { text: e.problem.detail }));
  const selects = missing.map((role) => el('select', { id: `fix-${role}`, 'data-role': role },
    (state.boxes || []).map((m) => el('option', { value: m.path, text: m.path }))));
  selects.forEach((s) => box.append(el('label', { for: s.id, text: `Mailbox to use as ${ROLE_NAMES[s.dataset.role]}` }), s));
  if (selects.length) {
    box.append(el('div', { class: 'actions' }, el('button', { type: 'button', class: 'primary', text: 'Use it and try again',
      onclick: async () => {
        try {
          await mapRoles(state.account.id, Object.fromEntries(selects.map((s) => [s.dataset.role, s.value])));
          box.remove();
          await retry();
        } catch (err) { notice(err.problem?.detail || err.message); }
      } })));
  }
  where.append(box);
  box.focus();
  return true;
}
