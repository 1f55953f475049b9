// Progressive enhancement of the four forms (contact, porteur, lettre, agenda): without JavaScript they
// post as plain HTML forms (the API answers with a 303 to merci.html, or a French page listing the
// errors); with it they post with fetch and show the API's answer: the confirmation (201 with a
// reference, or 202 for a subscription or a proposal waiting on a confirmation or a moderation), or
// the field errors (RFC 9457 problem documents) next to each field.
(() => {
  'use strict';

  const form = document.getElementById('formulaire');
  if (!form) {
    return;
  }

  const summary = document.getElementById('resume-erreurs');
  const confirmation = document.getElementById('confirmation');
  const button = form.querySelector('button[type="submit"]');
  const meta = document.querySelector('meta[name="api-base"]');
  const apiBase = (new URLSearchParams(location.search).get('api') || (meta && meta.content) || 'http://localhost:7071').replace(/\/+$/, '');
  form.action = apiBase + form.dataset.path;

  // A plain post (should the script fail later on) comes back to this site's thank-you page.
  const redirect = document.createElement('input');
  redirect.type = 'hidden';
  redirect.name = 'redirection';
  redirect.value = new URL('merci.html', location.href).href;
  form.append(redirect);

  // The API checks everything and answers in French, field by field.
  form.noValidate = true;

  // Lists that staff keep (the sectors of the directory) come from the public reference endpoint, so the form
  // offers exactly what the API accepts; the options written in the page stand in until then, or without it.
  const referenced = form.querySelectorAll('select[data-reference]');
  if (referenced.length) {
    fetch(apiBase + '/api/territory', { headers: { Accept: 'application/json' } })
      .then((response) => (response.ok ? response.json() : null))
      .then((reference) => {
        for (const select of referenced) {
          const items = reference && reference[select.dataset.reference];
          if (!Array.isArray(items) || !items.length) {
            continue;
          }
          const chosen = select.value;
          const placeholder = select.querySelector('option[value=""]');
          select.replaceChildren(...(placeholder ? [placeholder] : []));
          for (const item of items) {
            select.append(new Option(item.label, item.code, false, item.code === chosen));
          }
          select.dataset.loaded = 'true';
        }
      })
      .catch(() => { /* the options of the page stay */ });
  }

  const labelOf = (field) => {
    const input = form.querySelector(`[name="${CSS.escape(field)}"]`);
    if (!input) {
      return field;
    }
    const label = input.id ? form.querySelector(`label[for="${CSS.escape(input.id)}"]`) : null;
    const text = (label || input.closest('label') || {}).textContent || field;
    return text.replace(/\*/g, '').trim().split(/\.\s/)[0];
  };

  const clearErrors = () => {
    summary.hidden = true;
    summary.replaceChildren();
    form.querySelectorAll('.erreur').forEach((p) => { p.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
  };

  const showSummary = (title, items) => {
    const heading = document.createElement('p');
    heading.textContent = title;
    summary.replaceChildren(heading);
    if (items && items.length) {
      const list = document.createElement('ul');
      for (const item of items) {
        const li = document.createElement('li');
        const link = document.createElement('a');
        link.href = `#${item.id}`;
        link.textContent = `${item.label} : ${item.message}`;
        li.append(link);
        list.append(li);
      }
      summary.append(list);
    }
    summary.hidden = false;
    summary.focus();
  };

  const showProblem = (response, problem) => {
    const items = [];
    const errors = (problem && problem.errors) || {};
    for (const [field, messages] of Object.entries(errors)) {
      const message = [].concat(messages).join(' ');
      const slot = document.getElementById(`erreur-${field}`);
      if (slot) {
        slot.textContent = message;
      }
      form.querySelectorAll(`[name="${CSS.escape(field)}"]`).forEach((el) => el.setAttribute('aria-invalid', 'true'));
      const target = form.querySelector(`[name="${CSS.escape(field)}"]`);
      items.push({ id: target && target.id ? target.id : 'formulaire', label: labelOf(field), message });
    }
    let title = (problem && problem.title) || 'Le formulaire n\'a pas pu être envoyé.';
    if (response.status === 429 || !items.length) {
      title = `${title} ${(problem && problem.detail) || ''}`.trim();
    }
    showSummary(title, items);
  };

  const showConfirmation = (receipt) => {
    const text = document.createElement('p');
    text.textContent = receipt.message;
    confirmation.replaceChildren(text);
    if (receipt.reference) {
      const reference = document.createElement('p');
      reference.append('Votre référence : ');
      const strong = document.createElement('strong');
      strong.id = 'reference';
      strong.textContent = receipt.reference;
      reference.append(strong);
      confirmation.append(reference);
    }
    confirmation.hidden = false;
    form.hidden = true;
    confirmation.focus();
  };

  // A lone checkbox is a yes or no (consent: true); checkboxes sharing a name with values of their own
  // are a list (territories: ["243500139", ...]).
  const asJson = () => {
    const data = {};
    for (const element of form.elements) {
      if (!element.name || element.name === 'redirection' || element.type === 'submit') {
        continue;
      }
      if (element.type === 'checkbox' && element.hasAttribute('value')) {
        data[element.name] = data[element.name] || [];
        if (element.checked) {
          data[element.name].push(element.value);
        }
      } else if (element.type === 'checkbox') {
        data[element.name] = element.checked;
      } else {
        data[element.name] = element.value;
      }
    }
    return JSON.stringify(data);
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors();
    button.disabled = true;
    const headers = { Accept: 'application/json' };
    let body;
    if (form.enctype === 'multipart/form-data') {
      body = new FormData(form);
      body.delete('redirection');
    } else {
      headers['Content-Type'] = 'application/json';
      body = asJson();
    }

    try {
      const response = await fetch(form.action, { method: 'POST', headers, body });
      const payload = await response.json().catch(() => null);
      if ((response.status === 201 || response.status === 202) && payload) {
        showConfirmation(payload);
      } else {
        showProblem(response, payload);
      }
    } catch {
      showSummary('Le formulaire n\'a pas pu être envoyé. Vérifiez votre connexion puis réessayez.');
    } finally {
      button.disabled = false;
    }
  });
})();
