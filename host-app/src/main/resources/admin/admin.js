// Helpdesk Connect admin console: plain DOM, no framework, no third-party code (served from the
// host jar, works offline). Pages are rendered from the API's answers; forms from the connectors'
// settings descriptors, so a new connector needs no code here (its wiring steps come from
// /admin/guides/<connector id>). Text from the API is always set as text, never as HTML.
'use strict';
(function () {
  var TOKEN_KEY = 'helpdesk-connect.admin-credential';
  var MASK = '********';
  var main = document.getElementById('main');
  var nav = document.getElementById('nav');
  var announcer = document.getElementById('announce');
  var timers = [];
  var renderId = 0;
  var afterSignIn = null;
  var signInMessage = '';
  var signInMessageIsError = false;

  // ---- small helpers -------------------------------------------------------------------------

  /** h('p', {class: 'x', onclick: fn}, 'text', child): an element; null/false children are skipped. */
  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) { return; }
        if (key.indexOf('on') === 0 && typeof value === 'function') {
          el.addEventListener(key.substring(2), value);
        } else if (key === 'class') {
          el.className = value;
        } else if (key === 'for') {
          el.htmlFor = value;
        } else if (key === 'value') {
          el.value = value;
        } else if (key === 'checked') {
          el.checked = !!value;
        } else if (key === 'text') {
          el.textContent = value;
        } else {
          el.setAttribute(key, value === true ? '' : String(value));
        }
      });
    }
    for (var i = 2; i < arguments.length; i++) { append(el, arguments[i]); }
    return el;
  }

  /** Replaces an element's children (arrays flattened, null skipped: replaceChildren would print them). */
  function fill(el) {
    while (el.firstChild) { el.removeChild(el.firstChild); }
    for (var i = 1; i < arguments.length; i++) { append(el, arguments[i]); }
    return el;
  }

  /** append(el, child, ...): arrays flattened, null/undefined/false skipped, anything else as text. */
  function append(el) {
    for (var i = 1; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) { continue; }
      if (Array.isArray(child)) {
        child.forEach(function (c) { append(el, c); });
      } else {
        el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
      }
    }
    return el;
  }

  function announce(text) {
    announcer.textContent = '';
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function when(iso) {
    if (!iso) { return '–'; }
    var d = new Date(iso);
    return isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
  }

  function slug(text) { return String(text).replace(/[^A-Za-z0-9_-]/g, '_'); }

  function enc(text) { return encodeURIComponent(text); }

  function later(fn, ms) { var t = window.setTimeout(fn, ms); timers.push(t); return t; }

  function stopTimers() { timers.forEach(function (t) { window.clearTimeout(t); }); timers = []; }

  /** A page: title, h1 focused for screen readers and keyboard users, content. */
  function page(title, content) {
    document.title = title + ' – Helpdesk Connect admin';
    var heading = h('h1', {tabindex: '-1'}, title);
    fill(main, heading);
    append(main, content);
    heading.focus();
    return heading;
  }

  function table(caption, columns, rows, emptyText) {
    if (!rows || rows.length === 0) {
      return h('p', {class: 'empty'}, emptyText || 'None.');
    }
    return h('table', null,
      caption ? h('caption', null, caption) : null,
      h('thead', null, h('tr', null, columns.map(function (c) { return h('th', {scope: 'col'}, c.label); }))),
      h('tbody', null, rows.map(function (row) {
        return h('tr', null, columns.map(function (c) { return h('td', {class: c.wrap ? 'wrap' : null}, c.value(row)); }));
      })));
  }

  /** Any other JSON value the API may add later: arrays of objects as tables, the rest as text. */
  function generic(value) {
    if (Array.isArray(value) && value.every(function (v) { return v && typeof v === 'object' && !Array.isArray(v); })) {
      var keys = [];
      value.forEach(function (v) { Object.keys(v).forEach(function (k) { if (keys.indexOf(k) < 0) { keys.push(k); } }); });
      return table(null, keys.map(function (k) {
        return {label: k, wrap: true, value: function (row) { return plain(row[k]); }};
      }), value);
    }
    return h('pre', {class: 'json'}, JSON.stringify(value, null, 2));
  }

  function plain(v) {
    if (v === null || v === undefined) { return '–'; }
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }

  // ---- API -----------------------------------------------------------------------------------

  function credential() { return window.sessionStorage.getItem(TOKEN_KEY); }

  function ApiError(status, body) {
    this.status = status;
    this.body = body || {};
    this.message = (body && body.message) || ('The host answered ' + status);
  }

  function call(method, path, body, token) {
    var headers = {'Authorization': 'Bearer ' + (token || credential() || '')};
    if (body !== undefined) { headers['Content-Type'] = 'application/json'; }
    return fetch(path, {method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store', credentials: 'omit', redirect: 'error'})
      .then(function (res) {
        return res.text().then(function (text) {
          var data = null;
          try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
          if (!res.ok) { throw new ApiError(res.status, data); }
          return data;
        });
      }, function () {
        throw new ApiError(0, {message: 'The host cannot be reached. Is it running?'});
      });
  }

  /** An API call of a signed-in page: a 401 ends the session and asks to sign in again. */
  function api(method, path, body) {
    return call(method, path, body).catch(function (e) {
      if (e.status === 401) {
        signOut('Your session ended: the credential is no longer valid (revoked or changed). Sign in again.');
      }
      throw e;
    });
  }

  function failure(e) {
    return h('div', {class: 'notice bad', role: 'alert'}, e && e.message ? e.message : String(e));
  }

  // ---- routing -------------------------------------------------------------------------------

  function route() {
    var hash = window.location.hash.replace(/^#/, '') || '/';
    var q = '';
    var at = hash.indexOf('?');
    if (at >= 0) { q = hash.substring(at + 1); hash = hash.substring(0, at); }
    var parts = hash.split('/').filter(function (p) { return p.length > 0; }).map(decodeURIComponent);
    return {parts: parts, query: new URLSearchParams(q)};
  }

  function render() {
    stopTimers();
    renderId++;
    var r = route();
    if (!credential()) {
      if (r.parts[0] !== 'signin') { afterSignIn = window.location.hash; }
      nav.hidden = true;
      return signInPage();
    }
    nav.hidden = false;
    var section = r.parts[0] || 'overview';
    nav.querySelectorAll('a[data-nav]').forEach(function (a) {
      var current = a.getAttribute('data-nav') === section || (section === 'conversation' && a.getAttribute('data-nav') === 'conversations')
        || ((section === 'integration' || section === 'connect') && a.getAttribute('data-nav') === 'overview');
      if (current) { a.setAttribute('aria-current', 'page'); } else { a.removeAttribute('aria-current'); }
    });
    switch (section) {
      case 'signin': window.location.hash = '#/'; return null;
      case 'overview': return overviewPage();
      case 'connect': return connectPage(r.parts[1]);
      case 'integration': return integrationPage(r.parts[1], r.parts[2] || 'health');
      case 'conversations': return conversationsPage(r.parts[1], r.query.get('q') || '');
      case 'conversation': return conversationPage(r.parts[1], r.parts[2]);
      case 'audit': return auditPage(r.query.get('before'));
      default: return page('Not found', h('p', null, 'No such page. ', h('a', {href: '#/'}, 'Back to the overview')));
    }
  }

  function signOut(message, notAnError) {
    window.sessionStorage.removeItem(TOKEN_KEY);
    afterSignIn = window.location.hash;
    signInMessage = message || '';
    signInMessageIsError = !notAnError;
    if (window.location.hash === '#/signin') { render(); } else { window.location.hash = '#/signin'; }
  }

  // ---- sign in -------------------------------------------------------------------------------

  function signInPage() {
    var input = h('input', {id: 'credential', type: 'password', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'credential-help signin-error'});
    var error = h('p', {id: 'signin-error', class: 'error', role: 'alert'}, signInMessageIsError ? signInMessage : '');
    var note = signInMessageIsError || !signInMessage ? null : h('div', {class: 'notice', role: 'status'}, signInMessage);
    signInMessage = '';
    var button = h('button', {type: 'submit', id: 'signin'}, 'Sign in');
    var form = h('form', {class: 'stack', novalidate: true},
      h('div', {class: 'field'},
        h('label', {for: 'credential'}, 'Admin token or API key'),
        h('p', {class: 'help', id: 'credential-help'}, 'The admin token (printed at the host\'s first start and kept in DATA_DIR/admin.token, or HELPDESK_CONNECT_ADMIN_TOKEN) or an API key with the admin scope. It stays in this browser tab only and is sent as an Authorization header, never in a URL.'),
        input, error),
      h('div', {class: 'actions'}, button));
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var token = input.value.trim();
      if (!token) { error.textContent = 'Enter the admin token or an API key.'; input.focus(); return; }
      button.disabled = true;
      error.textContent = '';
      call('GET', '/api/v1/audit?limit=1', undefined, token).then(function () {
        window.sessionStorage.setItem(TOKEN_KEY, token);
        var target = afterSignIn && afterSignIn.indexOf('#/signin') !== 0 ? afterSignIn : '#/';
        afterSignIn = null;
        if (window.location.hash === target) { render(); } else { window.location.hash = target; }
        announce('Signed in.');
      }, function (e) {
        button.disabled = false;
        error.textContent = e.status === 401 ? 'This credential is not valid (unknown, revoked or expired).'
          : e.status === 403 ? 'This credential lacks the admin scope. Use the admin token, or an API key created with the "admin" scope.'
            : e.message;
        input.focus();
      });
    });
    page('Sign in', [note, h('p', {class: 'lead'}, 'The admin console of this Helpdesk Connect host: connect helpdesks, check their setup and see what happened to every conversation.'), form]);
    input.focus();
  }

  // ---- overview ------------------------------------------------------------------------------

  function overviewPage() {
    var id = renderId;
    page('Overview', h('p', {class: 'lead'}, 'Loading…'));
    Promise.all([api('GET', '/api/v1/connectors'), api('GET', '/api/v1/integrations')]).then(function (answers) {
      if (id !== renderId) { return; }
      var connectors = answers[0].connectors || [];
      var failures = answers[0].failures || [];
      var integrations = answers[1].integrations || [];
      var healthCells = {};
      var content = [
        h('h2', null, 'Integrations'),
        table(null, [
          {label: 'Integration', value: function (i) { return h('a', {href: '#/integration/' + enc(i.id)}, i.id); }},
          {label: 'Helpdesk', value: function (i) { return i.connectorLoaded ? (i.connectorName || i.connector) : i.connector + ' (connector not loaded)'; }},
          {label: 'Sync', value: function (i) { healthCells[i.id] = h('span', null, '…'); return healthCells[i.id]; }},
          {label: 'Changed', value: function (i) { return when(i.updatedAt); }},
          {label: 'Go to', value: function (i) {
            return [h('a', {href: '#/integration/' + enc(i.id) + '/check'}, 'Check the setup'), ' · ',
              h('a', {href: '#/conversations/' + enc(i.id)}, 'Conversations')];
          }}
        ], integrations, 'No integration yet: connect a helpdesk below.'),
        h('h2', null, 'Connectors'),
        connectors.length === 0 ? h('p', {class: 'empty'}, 'No connector is loaded: put a plugin jar in the plugins folder and restart the host.')
          : h('div', {class: 'cards'}, connectors.map(function (c) {
            return h('section', {class: 'card', 'aria-labelledby': 'connector-' + slug(c.id)},
              h('h3', {id: 'connector-' + slug(c.id)}, c.name + ' '),
              h('p', {class: 'meta'}, 'Version ' + c.version + ' · id ' + c.id + (c.plugin ? ' · plugin ' + c.plugin : '')),
              c.description ? h('p', null, c.description) : null,
              h('p', {class: 'meta'}, 'Capabilities: ' + (c.capabilities || []).join(', ')),
              h('a', {class: 'button', href: '#/connect/' + enc(c.id)}, 'Connect ' + c.name));
          })),
        h('h2', null, 'Plugins that failed to load'),
        table(null, [
          {label: 'File', value: function (f) { return h('code', null, f.file); }},
          {label: 'Plugin', value: function (f) { return f.pluginId || '–'; }},
          {label: 'Reason', wrap: true, value: function (f) { return f.reason; }}
        ], failures, 'None: every jar in the plugins folder loaded.')
      ];
      fill(main, main.firstChild);
      append(main, content);
      integrations.forEach(function (i) {
        api('GET', '/api/v1/integrations/' + enc(i.id) + '/health').then(function (health) {
          var ops = health.operations || {};
          var text = (ops.parked ? ops.parked + ' parked, ' : '') + ops.pending + ' waiting · last sync ' + when(health.lastSyncAt);
          fill(healthCells[i.id], h('a', {href: '#/integration/' + enc(i.id) + '/health'}, text));
        }, function () { healthCells[i.id].textContent = 'unavailable'; });
      });
    }, function (e) { if (id === renderId) { append(main, failure(e)); } });
  }

  // ---- settings form (generic) ---------------------------------------------------------------

  /**
   * The settings form of a connector: one field per settings descriptor, in the connector's order.
   * Returns {element, values(), showErrors(fields), clearErrors()}.
   */
  function settingsFields(connector, stored) {
    stored = stored || {};
    var fields = [];
    var container = h('div');
    (connector.settings || []).forEach(function (s) {
      var f = settingField(s, stored[s.name]);
      fields.push(f);
      container.appendChild(f.element);
    });
    // settings the form does not know (an older or newer plugin): kept as they are
    var known = (connector.settings || []).map(function (s) { return s.name; });
    var unknown = {};
    Object.keys(stored).forEach(function (k) { if (known.indexOf(k) < 0) { unknown[k] = stored[k]; } });
    return {
      element: container,
      fields: fields,
      values: function () {
        var values = {};
        Object.keys(unknown).forEach(function (k) { values[k] = unknown[k]; });
        fields.forEach(function (f) {
          var v = f.value();
          if (v !== undefined) { values[f.name] = v; }
        });
        return values;
      }
    };
  }

  function fieldShell(name, labelText, required, help, input, extra) {
    var id = 'f-' + slug(name);
    var helpId = id + '-help';
    var errorId = id + '-error';
    var error = h('p', {class: 'error', id: errorId});
    var check = h('p', {class: 'check', id: id + '-check', hidden: true});
    var described = [help ? helpId : null, errorId, id + '-check'].filter(Boolean).join(' ');
    if (input) {
      input.id = input.id || id;
      input.setAttribute('aria-describedby', described);
      if (required) { input.setAttribute('aria-required', 'true'); }
    }
    var label = input ? h('label', {for: input.id}, labelText) : h('span', {class: 'label', id: id + '-label'}, labelText);
    append(label, [' ', h('span', {class: 'req'}, required ? '(required)' : '(optional)')]);
    var el = h('div', {class: 'field', 'data-field': name}, label, extra && extra.badge,
      help ? h('p', {class: 'help', id: helpId}, help) : null, input, extra && extra.after, error, check);
    return {
      element: el, error: error, input: input, id: input ? input.id : id,
      setError: function (message, what) {
        error.textContent = message || '';
        el.classList.toggle('field-error-field', !!message);
        if (input) { if (message) { input.setAttribute('aria-invalid', 'true'); } else { input.removeAttribute('aria-invalid'); } }
        check.hidden = !(message && what);
        check.textContent = message && what ? 'What to check: ' + what : '';
      }
    };
  }

  function settingField(s, storedValue) {
    var help = s.help || '';
    if (s['default'] && s.type !== 'BOOLEAN') { help += (help ? ' ' : '') + 'Default: ' + s['default'] + '.'; }
    var input;
    var value;
    var badge = null;
    var after = null;
    var hasStored = storedValue !== undefined && storedValue !== null && storedValue !== '';
    switch (s.type) {
      case 'SECRET': {
        var saved = storedValue === MASK;
        input = h('input', {type: 'password', autocomplete: 'new-password', spellcheck: 'false',
          placeholder: saved ? 'Saved – leave empty to keep it' : ''});
        if (saved) { badge = h('span', {class: 'saved'}, 'saved'); }
        value = function () {
          if (input.value !== '') { return input.value; }
          return saved ? MASK : undefined; // the mask keeps the stored secret
        };
        break;
      }
      case 'BOOLEAN': {
        var checked = hasStored ? (storedValue === true || storedValue === 'true') : s['default'] === 'true';
        input = h('input', {type: 'checkbox', checked: checked});
        value = function () { return input.checked; };
        var shell = fieldShell(s.name, s.label, false, help, input);
        // a checkbox reads best with its label after it
        shell.element.classList.add('checkbox');
        var label = shell.element.querySelector('label');
        shell.element.insertBefore(input, label);
        label.querySelector('.req').remove();
        return {name: s.name, element: shell.element, value: value, setError: shell.setError, focusId: shell.id, help: s.help};
      }
      case 'CHOICE': {
        var current = hasStored ? String(storedValue) : '';
        input = h('select', null,
          s.required ? null : h('option', {value: ''}, s['default'] ? '(default: ' + s['default'] + ')' : '(none)'),
          (s.options || []).map(function (o) {
            return h('option', {value: o, selected: current.toUpperCase() === String(o).toUpperCase() ? true : null}, o);
          }));
        value = function () { return input.value === '' ? undefined : input.value; };
        break;
      }
      case 'MAP': {
        var editor = mapEditor(s.name, s.label, hasStored && typeof storedValue === 'object' ? storedValue : {});
        var mapShell = fieldShell(s.name, s.label, s.required, help, null, {after: editor.element});
        editor.element.setAttribute('aria-labelledby', mapShell.id + '-label');
        return {name: s.name, element: mapShell.element, value: editor.value, setError: mapShell.setError,
          focusId: editor.firstInputId(), help: s.help, editor: editor};
      }
      case 'INTEGER':
        input = h('input', {type: 'text', inputmode: 'numeric', value: hasStored ? String(storedValue) : ''});
        value = function () {
          var t = input.value.trim();
          return t === '' ? undefined : (/^-?\d+$/.test(t) ? Number(t) : t);
        };
        break;
      default: // STRING, URL, GUID and types this console does not know yet
        input = h('input', {type: 'text', spellcheck: 'false', value: hasStored ? String(storedValue) : '',
          inputmode: s.type === 'URL' ? 'url' : null, autocomplete: 'off',
          placeholder: s.type === 'GUID' ? '00000000-0000-0000-0000-000000000000' : (s.type === 'URL' ? 'https://' : null)});
        value = function () { var t = input.value.trim(); return t === '' ? undefined : t; };
    }
    var sh = fieldShell(s.name, s.label, s.required, help, input, {badge: badge, after: after});
    return {name: s.name, element: sh.element, value: value, setError: sh.setError, focusId: sh.id, help: s.help};
  }

  /** Editor of a Map<String,String> setting: one row per entry, keyboard-friendly add and remove. */
  function mapEditor(name, label, initial) {
    var body = h('tbody');
    var counter = 0;
    var wrapper = h('div', {class: 'map-editor', role: 'group'});
    function addRow(key, val, focus) {
      counter++;
      var n = counter;
      var keyInput = h('input', {type: 'text', id: 'map-' + slug(name) + '-key-' + n, value: key || '', spellcheck: 'false', 'aria-label': 'Name, row ' + n});
      var valInput = h('input', {type: 'text', id: 'map-' + slug(name) + '-value-' + n, value: val || '', spellcheck: 'false', 'aria-label': 'Value, row ' + n});
      var row = h('tr', {'data-row': n},
        h('td', null, keyInput), h('td', null, valInput),
        h('td', null, h('button', {type: 'button', class: 'secondary', 'aria-label': 'Remove row ' + n, onclick: function () {
          row.remove();
          announce('Row removed.');
          var next = body.querySelector('input');
          (next || addButton).focus();
        }}, 'Remove')));
      body.appendChild(row);
      if (focus) { keyInput.focus(); }
    }
    var addButton = h('button', {type: 'button', class: 'secondary', onclick: function () { addRow('', '', true); }}, 'Add a row');
    Object.keys(initial || {}).forEach(function (k) { addRow(k, initial[k]); });
    append(wrapper, h('table', null, h('thead', null, h('tr', null, h('th', {scope: 'col'}, 'Name'), h('th', {scope: 'col'}, 'Value'), h('th', null, h('span', {class: 'visually-hidden'}, 'Actions')))), body), addButton);
    return {
      element: wrapper,
      value: function () {
        var result = {};
        var any = false;
        body.querySelectorAll('tr').forEach(function (tr) {
          var inputs = tr.querySelectorAll('input');
          var k = inputs[0].value.trim();
          if (k) { result[k] = inputs[1].value.trim(); any = true; }
        });
        return any ? result : undefined;
      },
      set: function (map) {
        fill(body);
        Object.keys(map || {}).forEach(function (k) { addRow(k, map[k]); });
      },
      firstInputId: function () { var i = body.querySelector('input'); return i ? i.id : null; }
    };
  }

  /**
   * Shows an API error on a form: each named field's problem next to it, a summary with links on
   * top. With a guide, a "verification failed" answer also gets the guide's troubleshooting entry
   * ("Invalid credentials" when saving): the item that matches the message goes next to the field
   * as what to check, the whole entry into the summary.
   */
  function showFormError(summary, e, fieldsByName, heading, guide) {
    Object.keys(fieldsByName).forEach(function (n) { fieldsByName[n].setError(''); });
    var problems = (e.body && e.body.fields) || {};
    var entry = guide && e.body && e.body.error === 'verification_failed' ? ((guide.troubleshooting || {}).credentials || null) : null;
    var items = [];
    var unplaced = [];
    Object.keys(problems).forEach(function (key) {
      var name = key.replace(/^settings\./, '');
      var f = fieldsByName[name];
      var message = problems[key];
      if (f) {
        f.setError(message, entry ? whatToCheck(entry, message) : null);
        items.push(h('li', null, h('a', {href: '#' + (f.focusId || ''), onclick: function (ev) {
          ev.preventDefault();
          var target = document.getElementById(f.focusId);
          if (target) { target.focus(); }
        }}, (f.label || name) + ': ' + message)));
      } else {
        unplaced.push(name + ': ' + message);
      }
    });
    fill(summary,
      h('h2', {tabindex: '-1'}, heading),
      h('p', null, e.message),
      items.length ? h('ul', null, items) : null,
      unplaced.length ? h('ul', null, unplaced.map(function (u) { return h('li', null, u); })) : null,
      entry ? [h('h3', null, 'What to check: ' + entry.title), h('ul', null, (entry.items || []).map(function (i) { return h('li', null, i); })),
        entry.doc ? h('p', {class: 'meta'}, 'See ' + entry.doc + '.') : null] : null);
    summary.hidden = false;
    summary.focus();
  }

  /** The guide item whose quoted message ("...check the Client ID...": what to do) matches, as what to do. */
  function whatToCheck(entry, message) {
    var text = String(message).toLowerCase();
    var found = null;
    (entry.items || []).forEach(function (item) {
      var m = /^"([^"]+)"\s*:\s*(.*)$/.exec(item);
      if (found || !m) { return; }
      var fragments = m[1].split('...').map(function (f) { return f.trim().toLowerCase(); }).filter(function (f) { return f.length > 0; });
      if (fragments.length && fragments.every(function (f) { return text.indexOf(f) >= 0; })) {
        found = m[2].charAt(0).toUpperCase() + m[2].substring(1);
      }
    });
    return found;
  }

  // ---- connect / settings --------------------------------------------------------------------

  function loadConnector(id) {
    return api('GET', '/api/v1/connectors').then(function (answer) {
      var found = (answer.connectors || []).filter(function (c) { return c.id === id; })[0];
      if (!found) { throw new ApiError(404, {message: 'No loaded connector "' + id + '".'}); }
      return found;
    });
  }

  function connectPage(connectorId) {
    var id = renderId;
    page('Connect', h('p', null, 'Loading…'));
    loadConnector(connectorId).then(function (connector) {
      if (id !== renderId) { return; }
      main.firstChild.textContent = 'Connect ' + connector.name;
      document.title = 'Connect ' + connector.name + ' – Helpdesk Connect admin';
      fill(main, main.firstChild);
      append(main, [h('p', {class: 'crumbs'}, h('a', {href: '#/'}, 'Overview'), ' › Connect ' + connector.name),
        h('p', {class: 'lead'}, 'Enter your credentials and the optional settings. Saving checks them with ' + connector.name
          + ' before anything is stored; then you get the webhook URL and secret to wire ' + connector.name + '.'),
        integrationForm(connector, null)]);
    }, function (e) { if (id === renderId) { append(main, failure(e)); } });
  }

  /** The form to create (integration null) or edit an integration. */
  function integrationForm(connector, integration) {
    var creating = !integration;
    var summary = h('div', {class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true});
    var fieldsByName = {};
    var idField = null;
    if (creating) {
      var idInput = h('input', {type: 'text', spellcheck: 'false', autocomplete: 'off'});
      idField = fieldShell('id', 'Integration id', true,
        'Your name for this connection: letters, digits, ".", "_" or "-" (for example acme-' + connector.id + '). It is part of the webhook URL.', idInput);
      fieldsByName.id = {setError: idField.setError, focusId: idField.id, label: 'Integration id'};
    }
    var settings = settingsFields(connector, integration ? integration.settings : {});
    settings.fields.forEach(function (f) {
      var descriptor = (connector.settings || []).filter(function (s) { return s.name === f.name; })[0];
      fieldsByName[f.name] = {setError: f.setError, focusId: f.focusId, help: f.help, label: descriptor ? descriptor.label : f.name};
    });
    var callbackInput = h('input', {type: 'text', spellcheck: 'false', autocomplete: 'off', inputmode: 'url', placeholder: 'https://',
      value: integration && integration.callbackUrl ? integration.callbackUrl : ''});
    var callbackField = fieldShell('callbackUrl', 'Callback URL', false,
      'Where agent replies and status changes are POSTed for your chat channel (signed). Leave empty for none.', callbackInput);
    fieldsByName.callbackUrl = {setError: callbackField.setError, focusId: callbackField.id, label: 'Callback URL'};
    // properties the API may add to the integration (e.g. options): edited as they come, sent back unchanged otherwise
    var optionInputs = {};
    var optionsBlock = null;
    if (integration && integration.options && typeof integration.options === 'object') {
      optionsBlock = h('fieldset', null, h('legend', null, 'Options'), Object.keys(integration.options).map(function (k) {
        var v = integration.options[k];
        var input = typeof v === 'boolean' ? h('input', {type: 'checkbox', checked: v}) : h('input', {type: 'text', value: plain(v)});
        optionInputs[k] = {input: input, kind: typeof v};
        var shell = fieldShell('options.' + k, k, false, null, input);
        fieldsByName['options.' + k] = {setError: shell.setError, focusId: shell.id, label: k};
        return shell.element;
      }));
    }
    var guide = null;
    call('GET', '/admin/guides/' + enc(connector.id)).then(function (g) { guide = g; }, function () { guide = null; });
    var status = h('p', {role: 'status', class: 'meta'});
    var button = h('button', {type: 'submit'}, creating ? 'Save and verify' : 'Save changes and verify');
    var form = h('form', {class: 'stack', novalidate: true, 'aria-label': (creating ? 'Connect ' : 'Settings of ') + connector.name},
      summary,
      creating ? h('h2', null, 'Integration') : null,
      idField ? idField.element : null,
      h('h2', null, connector.name + ' settings'),
      settings.element,
      h('h2', null, 'Your chat channel'),
      callbackField.element,
      optionsBlock,
      h('div', {class: 'actions'}, button, status));
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      summary.hidden = true;
      var integrationId = creating ? idField.input.value.trim() : integration.id;
      var body = {connector: connector.id, settings: settings.values()};
      var cb = callbackInput.value.trim();
      if (cb !== '' || (integration && integration.callbackUrl)) { body.callbackUrl = cb === '' ? null : cb; }
      if (integration && integration.options) {
        body.options = {};
        Object.keys(optionInputs).forEach(function (k) {
          var o = optionInputs[k];
          body.options[k] = o.kind === 'boolean' ? o.input.checked : (o.kind === 'number' ? Number(o.input.value) : o.input.value);
        });
      }
      if (creating && integrationId === '') {
        showFormError(summary, new ApiError(400, {message: 'The integration needs an id.', fields: {id: 'is required'}}), fieldsByName, 'The integration was not saved');
        return;
      }
      button.disabled = true;
      status.textContent = 'Verifying with ' + connector.name + '…';
      var exists = creating ? call('GET', '/api/v1/integrations/' + enc(integrationId)).then(function () { return true; },
        function (e) { if (e.status === 404 || e.status === 400) { return false; } throw e; }) : Promise.resolve(false);
      exists.then(function (taken) {
        if (taken) {
          throw new ApiError(409, {message: 'An integration "' + integrationId + '" exists already: open it from the overview to change it, or choose another id.',
            fields: {id: 'is taken'}});
        }
        return api('PUT', '/api/v1/integrations/' + enc(integrationId), body);
      }).then(function () {
        status.textContent = '';
        announce('Saved and verified.');
        window.sessionStorage.setItem('helpdesk-connect.just-saved', integrationId);
        if (window.location.hash === '#/integration/' + enc(integrationId) + '/wiring') { render(); }
        else { window.location.hash = '#/integration/' + enc(integrationId) + '/wiring'; }
      }, function (e) {
        button.disabled = false;
        status.textContent = '';
        showFormError(summary, e, fieldsByName, e.status === 422 && e.body && e.body.error === 'verification_failed'
          ? connector.name + ' refused the settings' : 'The integration was not saved', guide);
      });
    });
    return form;
  }

  // ---- integration page (tabs) ---------------------------------------------------------------

  var TABS = [['health', 'Health'], ['settings', 'Settings'], ['wiring', 'Wiring'], ['check', 'Check the setup'], ['fields', 'Field auto-fill']];

  function integrationPage(integrationId, tab) {
    var id = renderId;
    var tabName = (TABS.filter(function (t) { return t[0] === tab; })[0] || TABS[0])[1];
    page(integrationId + ': ' + tabName, h('p', null, 'Loading…'));
    var nav2 = h('nav', {class: 'tabs', 'aria-label': 'Integration'}, TABS.map(function (t) {
      return h('a', {href: '#/integration/' + enc(integrationId) + '/' + t[0], 'aria-current': t[0] === tab ? 'page' : null}, t[1]);
    }));
    Promise.all([api('GET', '/api/v1/integrations/' + enc(integrationId)), api('GET', '/api/v1/connectors')]).then(function (answers) {
      if (id !== renderId) { return; }
      var integration = answers[0];
      var connector = (answers[1].connectors || []).filter(function (c) { return c.id === integration.connector; })[0];
      fill(main, main.firstChild);
      append(main, [h('p', {class: 'crumbs'}, h('a', {href: '#/'}, 'Overview'), ' › ' + integrationId
        + ' (' + (connector ? connector.name : integration.connector) + ')'), nav2]);
      var body = h('div');
      main.appendChild(body);
      if (!connector && tab !== 'health') {
        body.appendChild(failure(new ApiError(409, {message: 'The connector "' + integration.connector + '" of this integration is not loaded; see the overview for plugins that failed.'})));
        return;
      }
      switch (tab) {
        case 'settings': return settingsTab(body, connector, integration);
        case 'wiring': return wiringTab(body, connector, integration);
        case 'check': return checkTab(body, connector, integration);
        case 'fields': return fieldsTab(body, connector, integration);
        default: return healthTab(body, integration);
      }
    }, function (e) { if (id === renderId) { append(main, failure(e)); } });
  }

  function settingsTab(body, connector, integration) {
    var known = ['id', 'connector', 'settings', 'callbackUrl', 'webhook', 'callback', 'createdAt', 'updatedAt', 'options'];
    var others = Object.keys(integration).filter(function (k) { return known.indexOf(k) < 0; });
    append(body, [
      h('p', {class: 'lead'}, 'Saved secrets are never shown: leave a secret empty to keep it. Saving checks the settings with '
        + connector.name + ' again. Changed ' + when(integration.updatedAt) + '.'),
      integrationForm(connector, integration),
      others.length ? [h('h2', null, 'Other properties'), h('dl', {class: 'facts'}, others.map(function (k) {
        return [h('dt', null, k), h('dd', null, generic(integration[k]))];
      }))] : null,
      h('h2', null, 'Remove'),
      deleteButton(integration)]);
  }

  function deleteButton(integration) {
    var confirmBox = h('span', {hidden: true},
      h('span', {role: 'alert'}, 'Remove "' + integration.id + '" for good? Conversations stop syncing. '),
      h('button', {type: 'button', class: 'danger', onclick: function () {
        api('DELETE', '/api/v1/integrations/' + enc(integration.id)).then(function () {
          announce('Integration removed.');
          window.location.hash = '#/';
        }, function (e) { confirmBox.appendChild(failure(e)); });
      }}, 'Yes, remove it'), ' ',
      h('button', {type: 'button', class: 'secondary', onclick: function () { confirmBox.hidden = true; start.hidden = false; start.focus(); }}, 'Cancel'));
    var start = h('button', {type: 'button', class: 'danger', onclick: function () {
      start.hidden = true; confirmBox.hidden = false; confirmBox.querySelector('button').focus();
    }}, 'Remove this integration…');
    return h('div', {class: 'actions'}, start, confirmBox);
  }

  function copyField(id, label, value, secret) {
    var input = h('input', {type: secret ? 'password' : 'text', id: id, readonly: true, value: value || '', spellcheck: 'false'});
    var copied = h('span', {role: 'status', class: 'meta'});
    var copyButton = h('button', {type: 'button', class: 'secondary', 'aria-label': 'Copy ' + label.toLowerCase(), onclick: function () {
      copyText(value, input).then(function () {
        copied.textContent = 'Copied';
        later(function () { copied.textContent = ''; }, 2500);
      }, function () { copied.textContent = 'Select the text and copy it (Ctrl+C)'; input.select(); });
    }}, 'Copy');
    var show = secret ? h('button', {type: 'button', class: 'secondary', 'aria-pressed': 'false', 'aria-label': 'Show ' + label.toLowerCase(), onclick: function () {
      var visible = input.type === 'password';
      input.type = visible ? 'text' : 'password';
      show.setAttribute('aria-pressed', visible ? 'true' : 'false');
      show.textContent = visible ? 'Hide' : 'Show';
    }}, 'Show') : null;
    return h('div', {class: 'field'}, h('label', {for: id}, label), h('div', {class: 'copy'}, input, show, copyButton, copied));
  }

  function copyText(text, input) {
    if (navigator.clipboard && window.isSecureContext) { return navigator.clipboard.writeText(text); }
    return new Promise(function (resolve, reject) {
      var type = input.type;
      input.type = 'text';
      input.select();
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      input.type = type;
      if (ok) { resolve(); } else { reject(new Error('copy')); }
    });
  }

  /** Guide text with {webhookUrl}, {webhookSecret}, {integrationId} as code, everything as text. */
  function guideText(text, values) {
    var out = [];
    var re = /\{(webhookUrl|webhookSecret|integrationId)\}/g;
    var last = 0;
    var m;
    while ((m = re.exec(text)) !== null) {
      out.push(text.substring(last, m.index));
      out.push(m[1] === 'webhookSecret'
        ? h('code', {'data-placeholder': m[1]}, 'the webhook secret above')
        : h('code', {'data-placeholder': m[1]}, values[m[1]] || ''));
      last = re.lastIndex;
    }
    out.push(text.substring(last));
    return out;
  }

  function wiringTab(body, connector, integration) {
    var justSaved = window.sessionStorage.getItem('helpdesk-connect.just-saved') === integration.id;
    window.sessionStorage.removeItem('helpdesk-connect.just-saved');
    var webhook = integration.webhook || {};
    var values = {webhookUrl: webhook.url, webhookSecret: webhook.secret, integrationId: integration.id};
    append(body, [
      justSaved ? h('div', {class: 'notice ok', role: 'status'}, connector.name + ' accepted the settings and the integration is saved. Now wire '
        + connector.name + ' to call back, then check the setup.') : null,
      h('h2', null, 'Webhook'),
      h('p', null, 'Give ' + connector.name + ' this URL and secret. The URL must be reachable from ' + connector.name + '\'s servers.'),
      copyField('webhook-url', 'Webhook URL', webhook.url, false),
      copyField('webhook-secret', 'Webhook secret', webhook.secret, true)]);
    var guideBox = h('div', null, h('p', null, 'Loading the wiring steps…'));
    body.appendChild(guideBox);
    var cb = integration.callback || {};
    if (cb.url) {
      append(body, [h('h2', null, 'Callbacks to your chat channel'),
        h('p', null, 'Agent replies and status changes are POSTed to ', h('code', null, cb.url), ', signed as Standard Webhooks (and with ',
          h('code', null, cb.signatureHeader || ''), '). Give the receiver this secret:'),
        copyField('callback-secret', 'Standard Webhooks secret', cb.standardWebhooksSecret, true)]);
    }
    append(body, h('div', {class: 'actions'}, h('a', {class: 'button', href: '#/integration/' + enc(integration.id) + '/check'}, 'Next: check the setup')));
    call('GET', '/admin/guides/' + enc(connector.id)).then(function (guide) {
      var w = guide.wiring || {};
      fill(guideBox, 
        h('h2', null, w.title || 'Wire the helpdesk'),
        w.intro ? h('p', null, w.intro) : null,
        h('ol', {class: 'guide'}, (w.steps || []).map(function (step) {
          return h('li', null, h('h3', null, step.title), h('ul', null, (step.items || []).map(function (item) {
            return h('li', null, guideText(item, values));
          })));
        })),
        w.doc ? h('p', {class: 'meta'}, 'In detail: ' + w.doc + '.') : null);
    }, function (e) { fill(guideBox, failure(e)); });
  }

  // ---- setup check ---------------------------------------------------------------------------

  var STATE_TEXT = {pending: 'Waiting', running: 'Running…', passed: 'Passed', warning: 'Warning', failed: 'Failed', skipped: 'Skipped'};

  function checkTab(body, connector, integration) {
    var path = '/api/v1/integrations/' + enc(integration.id) + '/setup-check';
    var result = h('div', {id: 'check-result'});
    var button = h('button', {type: 'button', id: 'run-check'}, 'Check the setup');
    var mine = renderId;
    append(body, [
      h('p', {class: 'lead'}, 'Sends a clearly marked test conversation (customer "Helpdesk Connect setup check", ids starting with setup-check-) the way '
        + 'real ones go, and checks that the case, the messages, the handoff and the auto-filled fields arrive in ' + connector.name
        + ', and that ' + connector.name + ' calls back. The test case is resolved at the end. This takes up to two minutes.'),
      h('div', {class: 'actions'}, button), result]);
    function show(run, final) {
      var summaryText = run.state === 'running' ? 'Checking the setup…'
        : run.state === 'passed' ? 'The setup works: every step passed.'
          : run.state === 'warning' ? 'The setup works, with warnings: see below.'
            : 'The setup has a problem: see the failed step below.';
      fill(result,
        h('h2', null, 'Result'),
        h('div', {class: 'notice' + (run.state === 'passed' ? ' ok' : run.state === 'failed' ? ' bad' : ''), id: 'check-summary', 'data-state': run.state},
          h('strong', null, summaryText), ' ',
          h('span', {class: 'meta'}, 'Test conversation ', h('a', {href: '#/conversation/' + enc(integration.id) + '/' + enc(run.conversationId)}, run.conversationId),
            run['case'] && run['case'].number ? [', case ', run['case'].link ? h('a', {href: run['case'].link, target: '_blank', rel: 'noopener noreferrer'}, run['case'].number) : run['case'].number] : null,
            ' · started ' + when(run.startedAt))),
        h('ol', {class: 'steps'}, (run.steps || []).map(function (s) {
          var t = s.troubleshooting;
          return h('li', {'data-step': s.id, 'data-state': s.state},
            h('span', {class: 'badge ' + s.state}, STATE_TEXT[s.state] || s.state),
            h('h3', {class: 'step-title'}, s.title),
            s.detail ? h('p', {class: 'step-detail'}, s.detail) : null,
            t ? h('div', {class: 'trouble', 'data-troubleshooting': t.title},
              h('h4', null, 'Troubleshooting: ' + t.title),
              h('ul', null, (t.items || []).map(function (i) { return h('li', null, i); })),
              t.doc ? h('p', {class: 'meta'}, 'See ' + t.doc + ' → "' + t.title + '"') : null) : null);
        })));
      if (final) { announce(summaryText); }
    }
    function poll() {
      api('GET', path).then(function (run) {
        if (mine !== renderId) { return; }
        show(run, run.state !== 'running');
        if (run.state === 'running') { later(poll, 1000); } else { button.disabled = false; }
      }, function (e) {
        if (mine !== renderId) { return; }
        button.disabled = false;
        if (e.status !== 404) { fill(result, failure(e)); }
      });
    }
    button.addEventListener('click', function () {
      button.disabled = true;
      api('POST', path).then(function (run) {
        show(run, false);
        announce('Checking the setup. This takes up to two minutes.');
        later(poll, 1000);
      }, function (e) {
        button.disabled = false;
        fill(result, failure(e));
      });
    });
    poll();
  }

  // ---- field auto-fill -----------------------------------------------------------------------

  function fieldsTab(body, connector, integration) {
    var mapSetting = (connector.settings || []).filter(function (s) { return s.name === 'fieldMap'; })[0]
      || (connector.settings || []).filter(function (s) { return s.type === 'MAP'; })[0];
    var catalogue = h('div', null, h('p', null, 'Loading the field catalogue…'));
    append(body, [h('p', {class: 'lead'}, 'At handoff the AI sends field values; Helpdesk Connect writes them into the case. These are the fields '
      + connector.name + ' accepts for this integration, by the names the AI uses.'), h('h2', null, 'Field catalogue'), catalogue]);
    api('GET', '/api/v1/integrations/' + enc(integration.id) + '/fields').then(function (answer) {
      fill(catalogue, table(null, [
        {label: 'AI field name', value: function (f) { return h('code', null, f.name); }},
        {label: connector.name + ' field', value: function (f) { return f.label; }},
        {label: 'Type', value: function (f) { return f.type; }},
        {label: 'Allowed values', wrap: true, value: function (f) { return (f.allowedValues || []).length ? f.allowedValues.join(', ') : 'any'; }},
        {label: 'Description', wrap: true, value: function (f) { return f.description || ''; }}
      ], answer.fields, connector.name + ' lists no fields to fill.'));
    }, function (e) {
      fill(catalogue, e.status === 501 ? h('p', {class: 'empty'}, connector.name + ' does not describe its fields.') : failure(e));
    });
    if (!mapSetting) {
      append(body, h('p', {class: 'empty'}, 'This connector has no field map setting.'));
      return;
    }
    var stored = integration.settings || {};
    var editor = mapEditor(mapSetting.name, mapSetting.label, stored[mapSetting.name] || {});
    var summary = h('div', {class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true});
    var shell = fieldShell(mapSetting.name, mapSetting.label, mapSetting.required, mapSetting.help, null, {after: editor.element});
    editor.element.setAttribute('aria-labelledby', shell.id + '-label');
    var status = h('p', {role: 'status', class: 'meta'});
    var button = h('button', {type: 'submit'}, 'Save field map');
    var form = h('form', {class: 'stack', novalidate: true, 'aria-label': 'Field map'}, summary, shell.element, h('div', {class: 'actions'}, button, status));
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      summary.hidden = true;
      var settings = {};
      Object.keys(stored).forEach(function (k) { settings[k] = stored[k]; }); // secrets stay masked: the host keeps them
      var map = editor.value();
      if (map === undefined) { delete settings[mapSetting.name]; } else { settings[mapSetting.name] = map; }
      button.disabled = true;
      status.textContent = 'Verifying with ' + connector.name + '…';
      var request = {connector: integration.connector, settings: settings};
      if (integration.options) { request.options = integration.options; }
      api('PUT', '/api/v1/integrations/' + enc(integration.id), request).then(function (saved) {
        button.disabled = false;
        status.textContent = 'Saved.';
        announce('Field map saved.');
        integration.settings = saved.settings;
        stored = saved.settings || {};
        shell.setError('');
        render();
      }, function (e) {
        button.disabled = false;
        status.textContent = '';
        var byName = {};
        byName[mapSetting.name] = {setError: shell.setError, focusId: editor.firstInputId(), help: mapSetting.help, label: mapSetting.label};
        showFormError(summary, e, byName, 'The field map was not saved');
      });
    });
    append(body, [h('h2', null, 'Field map'), form]);
  }

  // ---- health --------------------------------------------------------------------------------

  function healthTab(body, integration) {
    var mine = renderId;
    var box = h('div', null, h('p', null, 'Loading…'));
    var refresh = h('button', {type: 'button', class: 'secondary', onclick: function () { load(); announce('Refreshed.'); }}, 'Refresh');
    append(body, [h('div', {class: 'actions'}, refresh), box]);
    function convLink(cid) { return h('a', {href: '#/conversation/' + enc(integration.id) + '/' + enc(cid)}, cid); }
    function load() {
      api('GET', '/api/v1/integrations/' + enc(integration.id) + '/health').then(function (hl) {
        if (mine !== renderId) { return; }
        var ops = hl.operations || {};
        var conv = hl.conversations || {};
        var wh = hl.webhooks || {};
        var states = function (m) {
          var keys = Object.keys(m || {});
          return keys.length ? keys.map(function (k) { return k.toLowerCase().replace(/_/g, ' ') + ' ' + m[k]; }).join(', ') : 'none';
        };
        fill(box, 
          h('dl', {class: 'facts', id: 'health-facts'},
            h('dt', null, 'Last sync'), h('dd', null, when(hl.lastSyncAt)),
            h('dt', null, 'Conversations'), h('dd', null, states(conv)),
            h('dt', null, 'Waiting operations'), h('dd', {'data-fact': 'pending'}, String(ops.pending)),
            h('dt', null, 'Parked operations'), h('dd', {'data-fact': 'parked'}, String(ops.parked)),
            h('dt', null, 'Retrying after an error'), h('dd', null, String(ops.retrying)),
            h('dt', null, 'Rate-limit pauses'), h('dd', null, String(ops.rateLimited)),
            h('dt', null, 'Webhook calls'), h('dd', null, states(wh.byState) + ' · last ' + when(wh.lastReceivedAt)),
            h('dt', null, 'Callbacks'), h('dd', null, states((hl.callbacks || {}).byState))),
          h('h2', null, 'Parked operations'),
          h('p', {class: 'meta'}, 'Stopped after a permanent error or too many attempts; they hold back their conversation until retried or discarded.'),
          table(null, [
            {label: 'Conversation', value: function (o) { return convLink(o.conversationId); }},
            {label: 'Operation', value: function (o) { return o.operation; }},
            {label: 'Attempts', value: function (o) { return String(o.attempts); }},
            {label: 'Reason', wrap: true, value: function (o) { return o.error || ''; }}
          ], hl.parked, 'None.'),
          h('h2', null, 'Retrying'),
          table(null, [
            {label: 'Conversation', value: function (o) { return convLink(o.conversationId); }},
            {label: 'Operation', value: function (o) { return o.operation; }},
            {label: 'Attempts', value: function (o) { return String(o.attempts); }},
            {label: 'Next attempt', value: function (o) { return when(o.nextAttemptAt); }},
            {label: 'Last error', wrap: true, value: function (o) { return o.error || ''; }}
          ], hl.retrying, 'None.'),
          h('h2', null, 'Rate-limit pauses'),
          table(null, [
            {label: 'Conversation', value: function (o) { return convLink(o.conversationId); }},
            {label: 'Until', value: function (o) { return when(o.nextAttemptAt); }},
            {label: 'Reason', wrap: true, value: function (o) { return o.error || ''; }}
          ], hl.rateLimited, 'None.'),
          h('h2', null, 'Recent errors and notes'),
          table(null, [
            {label: 'Conversation', value: function (e) { return convLink(e.conversationId); }},
            {label: 'When', value: function (e) { return when(e.at); }},
            {label: 'Error', wrap: true, value: function (e) { return e.error; }}
          ], hl.recentErrors, 'None.'),
          h('h2', null, 'Recent webhook calls'),
          table(null, [
            {label: 'Call', value: function (w) { return String(w.webhookId); }},
            {label: 'Received', value: function (w) { return when(w.receivedAt); }},
            {label: 'State', value: function (w) { return w.state; }},
            {label: 'Outcome', wrap: true, value: function (w) { return w.note || (w.state === 'PENDING' ? 'being read' : ''); }}
          ], wh.recent, 'No call from the helpdesk yet.'),
          Object.keys(hl).filter(function (k) {
            return ['integrationId', 'conversations', 'operations', 'lastSyncAt', 'parked', 'retrying', 'rateLimited', 'recentErrors', 'webhooks', 'callbacks'].indexOf(k) < 0;
          }).map(function (k) { return [h('h2', null, k), generic(hl[k])]; }));
      }, function (e) { if (mine === renderId) { fill(box, failure(e)); } });
    }
    load();
  }

  // ---- conversations -------------------------------------------------------------------------

  function conversationsPage(integrationId, q) {
    var mine = renderId;
    page('Conversations', h('p', null, 'Loading…'));
    api('GET', '/api/v1/integrations').then(function (answer) {
      if (mine !== renderId) { return; }
      var integrations = answer.integrations || [];
      fill(main, main.firstChild);
      if (integrations.length === 0) {
        append(main, h('p', {class: 'empty'}, 'No integration yet.'));
        return;
      }
      var selected = integrationId || integrations[0].id;
      var select = h('select', {id: 'conv-integration'}, integrations.map(function (i) {
        return h('option', {value: i.id, selected: i.id === selected ? true : null}, i.id);
      }));
      var input = h('input', {type: 'text', id: 'conv-query', value: q, spellcheck: 'false', autocomplete: 'off'});
      var form = h('form', {class: 'search', role: 'search', 'aria-label': 'Find a conversation'},
        h('div', {class: 'field'}, h('label', {for: 'conv-integration'}, 'Integration'), select),
        h('div', {class: 'field'}, h('label', {for: 'conv-query'}, 'Conversation id or case number'), input),
        h('button', {type: 'submit', id: 'conv-find'}, 'Find'));
      form.addEventListener('submit', function (ev) {
        ev.preventDefault();
        window.location.hash = '#/conversations/' + enc(select.value) + (input.value.trim() ? '?q=' + enc(input.value.trim()) : '');
      });
      var results = h('div', {id: 'conv-results'}, h('p', null, 'Loading…'));
      append(main, [h('p', {class: 'lead'}, 'Find a conversation by its id (or the start of it) or by its case number; without a search, the latest.'), form, results]);
      api('GET', '/api/v1/integrations/' + enc(selected) + '/conversations' + (q ? '?q=' + enc(q) : '')).then(function (found) {
        if (mine !== renderId) { return; }
        var list = found.conversations || [];
        fill(results, 
          h('h2', null, q ? (list.length + ' found for "' + q + '"') : 'Latest conversations'),
          table(null, [
            {label: 'Conversation', value: function (c) { return h('a', {href: '#/conversation/' + enc(selected) + '/' + enc(c.conversationId)}, c.conversationId); }},
            {label: 'Case', value: function (c) { return c['case'] ? (c['case'].number || c['case'].id) : '–'; }},
            {label: 'Status', value: function (c) { return c.status; }},
            {label: 'Waiting', value: function (c) { return String(c.pending); }},
            {label: 'Parked', value: function (c) { return String(c.parked); }},
            {label: 'Changed', value: function (c) { return when(c.updatedAt); }},
            {label: 'Last error', wrap: true, value: function (c) { return c.lastError || ''; }}
          ], list, q ? 'No conversation matches.' : 'No conversation yet.'));
        if (q && list.length === 1) { announce('One conversation found.'); }
      }, function (e) { if (mine === renderId) { fill(results, failure(e)); } });
    }, function (e) { if (mine === renderId) { append(main, failure(e)); } });
  }

  var AUTHOR = {customer_message: 'Customer', ai_reply: 'AI assistant', agent_reply: 'Agent', handoff: 'Handoff', resolved: 'Resolved',
    case_resolved: 'Case resolved', case_closed: 'Case closed', case_reopened: 'Case reopened'};

  function conversationPage(integrationId, conversationId) {
    var mine = renderId;
    var path = '/api/v1/conversations/' + enc(conversationId) + '?integrationId=' + enc(integrationId);
    page('Conversation ' + conversationId, h('p', null, 'Loading…'));
    var box = h('div');
    var message = h('div', {role: 'status'});
    var following = null;
    var auditBox = h('div', null, h('p', null, 'Loading…'));
    var auditShown = false;
    /** Retries and discards of this conversation, from the audit log (its latest 500 entries). */
    function loadAudit() {
      var target = integrationId + '/' + conversationId;
      api('GET', '/api/v1/audit?limit=500').then(function (answer) {
        var mineOnly = (answer.entries || []).filter(function (e) { return e.target === target; });
        fill(auditBox, table(null, [
          {label: 'When', value: function (e) { return when(e.at); }},
          {label: 'Who', value: function (e) { return (e.actor && e.actor.name) || ''; }},
          {label: 'Action', value: function (e) { return h('code', null, e.action); }},
          {label: 'Detail', wrap: true, value: function (e) { return e.detail || ''; }}
        ], mineOnly, 'No admin action on this conversation.'), h('p', {class: 'meta'}, 'All admin actions: ', h('a', {href: '#/audit'}, 'audit log'), '.'));
      }, function (e) { fill(auditBox, failure(e)); });
    }
    function load() {
      if (following !== null) { window.clearTimeout(following); following = null; }
      return api('GET', path).then(function (c) {
        if (mine !== renderId) { return; }
        var known = ['conversationId', 'integrationId', 'case', 'status', 'transcript', 'pending', 'parked', 'discarded', 'lastError', 'callbacks'];
        var parked = c.parked || [];
        var retry = h('button', {type: 'button', id: 'retry', onclick: function () {
          retry.disabled = true;
          api('POST', '/api/v1/conversations/' + enc(conversationId) + '/retry?integrationId=' + enc(integrationId)).then(function (r) {
            fill(message, h('div', {class: 'notice'}, 'Requeued ' + r.requeued + ' operation(s); this page follows them.'));
            load();
          }, function (e) { retry.disabled = false; fill(message, failure(e)); });
        }}, 'Retry parked operations');
        fill(box, 
          h('dl', {class: 'facts', id: 'conversation-facts'},
            h('dt', null, 'Integration'), h('dd', null, h('a', {href: '#/integration/' + enc(integrationId)}, integrationId)),
            h('dt', null, 'Status'), h('dd', {'data-fact': 'status'}, c.status),
            h('dt', null, 'Case'), h('dd', {'data-fact': 'case'}, c['case'] ? (c['case'].link
              ? h('a', {href: c['case'].link, target: '_blank', rel: 'noopener noreferrer'}, (c['case'].number || c['case'].id) + ' (opens the helpdesk)')
              : (c['case'].number || c['case'].id)) : 'not created yet'),
            h('dt', null, 'Last error'), h('dd', {'data-fact': 'lastError'}, c.lastError || 'none')),
          h('h2', null, 'Parked operations'),
          parked.length ? [h('p', {class: 'meta'}, 'They hold back this conversation. Fix the cause in the helpdesk (or the settings), then retry; or discard one for good.'),
            h('div', {class: 'actions'}, retry)] : null,
          table(null, [
            {label: 'Operation', value: function (o) { return o.operation + ' (' + o.eventId + ')'; }},
            {label: 'Attempts', value: function (o) { return String(o.attempts); }},
            {label: 'Reason', wrap: true, value: function (o) { return o.error || ''; }},
            {label: 'Action', value: function (o) { return discardControl(o); }}
          ], parked, 'None.'),
          h('h2', null, 'Waiting operations'),
          table(null, [
            {label: 'Operation', value: function (o) { return o.operation + ' (' + o.eventId + ')'; }},
            {label: 'Attempts', value: function (o) { return String(o.attempts); }},
            {label: 'Next attempt', value: function (o) { return when(o.nextAttemptAt); }},
            {label: 'Last error', wrap: true, value: function (o) { return o.error || ''; }}
          ], c.pending, 'None: everything accepted has reached the helpdesk.'),
          h('h2', null, 'Transcript'),
          (c.transcript || []).length === 0 ? h('p', {class: 'empty'}, 'Empty.') : h('ol', {class: 'transcript', id: 'transcript'}, c.transcript.map(function (e) {
            return h('li', {'data-type': e.type, 'data-event': e.eventId},
              h('span', {class: 'who'}, (AUTHOR[e.type] || e.type) + (e.author && e.type !== 'ai_reply' ? ' – ' + e.author : '')),
              h('span', {class: 'meta'}, when(e.occurredAt) + ' · ' + (e.syncedAt ? 'in the helpdesk' : 'not synced yet')),
              h('div', null, e.text || ''));
          })),
          (c.discarded || []).length ? [h('h2', null, 'Discarded operations'), table(null, [
            {label: 'Operation', value: function (o) { return o.operation + ' (' + o.eventId + ')'; }},
            {label: 'Discarded', value: function (o) { return when(o.discardedAt); }},
            {label: 'Reason', wrap: true, value: function (o) { return o.error || ''; }}
          ], c.discarded)] : null,
          (c.callbacks || []).length ? [h('h2', null, 'Callbacks to the chat channel'), table(null, [
            {label: 'Event', value: function (o) { return o.event + ' (' + o.eventId + ')'; }},
            {label: 'State', value: function (o) { return o.state; }},
            {label: 'Attempts', value: function (o) { return String(o.attempts); }},
            {label: 'Delivered', value: function (o) { return when(o.deliveredAt); }},
            {label: 'Error', wrap: true, value: function (o) { return o.error || ''; }}
          ], c.callbacks)] : null,
          Object.keys(c).filter(function (k) { return known.indexOf(k) < 0; }).map(function (k) {
            var v = c[k];
            if (Array.isArray(v) && v.length === 0) { return [h('h2', null, k), h('p', {class: 'empty'}, 'None.')]; }
            return [h('h2', null, k), generic(v)];
          }),
          h('h2', null, 'Admin actions'),
          auditBox);
        // again once the operations it follows are done (a retry or discard was just recorded)
        if (!auditShown || (c.pending || []).length === 0) { auditShown = true; loadAudit(); }
        // follow waiting operations until they are done (or parked)
        if ((c.pending || []).length > 0) { following = later(load, 1500); }
      }, function (e) { if (mine === renderId) { fill(box, failure(e)); } });
    }
    function discardControl(o) {
      var wrap = h('span');
      var ask = h('button', {type: 'button', class: 'danger', 'data-discard': o.operationId, onclick: function () {
        ask.hidden = true;
        confirmBox.hidden = false;
        confirmBox.querySelector('button').focus();
      }}, 'Discard…');
      var confirmBox = h('span', {hidden: true},
        h('span', null, 'The helpdesk will never get it. '),
        h('button', {type: 'button', class: 'danger', onclick: function () {
          api('POST', '/api/v1/conversations/' + enc(conversationId) + '/operations/' + o.operationId + '/discard?integrationId=' + enc(integrationId))
            .then(function () {
              fill(message, h('div', {class: 'notice'}, 'Operation ' + o.operationId + ' discarded.'));
              announce('Operation discarded.');
              load();
            }, function (e) { fill(message, failure(e)); });
        }}, 'Discard for good'), ' ',
        h('button', {type: 'button', class: 'secondary', onclick: function () { confirmBox.hidden = true; ask.hidden = false; ask.focus(); }}, 'Cancel'));
      append(wrap, [ask, confirmBox]);
      return wrap;
    }
    fill(main, main.firstChild);
    append(main, [h('p', {class: 'crumbs'}, h('a', {href: '#/conversations/' + enc(integrationId)}, 'Conversations'), ' › ' + conversationId),
      h('div', {class: 'actions'}, h('button', {type: 'button', class: 'secondary', onclick: function () { load(); announce('Refreshed.'); }}, 'Refresh')),
      message, box]);
    load();
  }

  // ---- audit ---------------------------------------------------------------------------------

  function auditPage(before) {
    var mine = renderId;
    page('Audit log', h('p', null, 'Loading…'));
    api('GET', '/api/v1/audit?limit=50' + (before ? '&before=' + enc(before) : '')).then(function (answer) {
      if (mine !== renderId) { return; }
      var entries = answer.entries || [];
      fill(main, main.firstChild);
      append(main, [
        h('p', {class: 'lead'}, 'Admin actions on this host: who, what, on what, when. Never a secret.'),
        table(null, [
          {label: 'When', value: function (e) { return when(e.at); }},
          {label: 'Who', value: function (e) { return (e.actor && e.actor.name) || ''; }},
          {label: 'Action', value: function (e) { return h('code', null, e.action); }},
          {label: 'Target', wrap: true, value: function (e) { return e.target; }},
          {label: 'Detail', wrap: true, value: function (e) { return e.detail || ''; }}
        ], entries, 'No admin action yet.'),
        h('div', {class: 'actions'},
          before ? h('a', {class: 'button secondary', href: '#/audit'}, 'Newest') : null,
          entries.length === 50 ? h('a', {class: 'button secondary', href: '#/audit?before=' + entries[entries.length - 1].id}, 'Older entries') : null)]);
    }, function (e) { if (mine === renderId) { append(main, failure(e)); } });
  }

  // ---- start ---------------------------------------------------------------------------------

  document.getElementById('signout').addEventListener('click', function () {
    signOut('Signed out.', true);
    afterSignIn = null;
  });
  window.addEventListener('hashchange', render);
  render();
})();
