// The « Salles à partager » page: searches the published rooms (GET /api/rooms, as JSON) and lists them; choosing one
// points the request form (handled by site.js like the other forms) at POST /api/rooms/{id}/requests. The
// answer's message names the dates that clash; they are listed as well. Without JavaScript the search form goes to
// GET /api/rooms as a browser's navigation, and the API answers with the results as a page (each room with its
// request form).
(() => {
  'use strict';

  const search = document.getElementById('recherche');
  const results = document.getElementById('resultats');
  const section = document.getElementById('demande');
  const form = document.getElementById('formulaire');
  const chosen = document.getElementById('salle-choisie');
  const meta = document.querySelector('meta[name="api-base"]');
  const apiBase = (new URLSearchParams(location.search).get('api') || (meta && meta.content) || 'http://localhost:7071').replace(/\/+$/, '');

  const text = (tag, content, className) => {
    const element = document.createElement(tag);
    element.textContent = content;
    if (className) {
      element.className = className;
    }
    return element;
  };

  const choose = (room) => {
    form.action = `${apiBase}/api/rooms/${encodeURIComponent(room.id)}/requests`;
    chosen.replaceChildren(text('strong', room.name), ` (${room.lender}, ${room.commune}) : au plus ${room.capacity} personnes.`);
    section.hidden = false;
    form.hidden = false;
    document.getElementById('confirmation').hidden = true;
    document.getElementById('titre-demande').scrollIntoView();
    document.getElementById('date').focus();
  };

  const show = (rooms) => {
    results.replaceChildren();
    if (!rooms.length) {
      results.append(text('p', 'Aucune salle ne répond à ces critères. Essayez avec moins d\'équipements, ou sans date.'));
      return;
    }
    results.append(text('p', rooms.length === 1 ? '1 salle trouvée.' : `${rooms.length} salles trouvées.`));
    const list = document.createElement('ul');
    list.className = 'salles';
    for (const room of rooms) {
      const item = document.createElement('li');
      item.append(text('h3', room.name));
      if (room.photos.length) {
        const photos = document.createElement('div');
        photos.className = 'photos-salle';
        room.photos.forEach((path, index) => {
          const image = document.createElement('img');
          image.src = `${apiBase}/api/${path}`;
          image.alt = `Photo ${index + 1} de la salle « ${room.name} »`;
          image.loading = 'lazy';
          image.width = 192;
          image.height = 128;
          photos.append(image);
        });
        item.append(photos);
      }
      item.append(text('p', `${room.kindLabel}, ${room.capacity} personnes, prêtée par ${room.lender}.`));
      item.append(text('p', `${room.address}, ${room.commune}${room.accessible ? ' – accessible PMR' : ''}.`));
      if (room.equipmentLabels.length) {
        item.append(text('p', `Équipements : ${room.equipmentLabels.join(', ')}.`));
      }
      item.append(text('p', `Conditions : ${room.conditionsLabel}${room.price ? ` (${room.price})` : ''}.`));
      item.append(text('p', `Horaires : ${room.hours.map((d) => `${d.label.toLowerCase()} ${d.text}`).join(' ; ')}.`));
      const button = text('button', `Demander « ${room.name} »`);
      button.type = 'button';
      button.addEventListener('click', () => choose(room));
      item.append(button);
      list.append(item);
    }
    results.append(list);
  };

  search.addEventListener('submit', async (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    for (const [name, value] of new FormData(search)) {
      if (value) {
        query.append(name, value);
      }
    }
    results.replaceChildren(text('p', 'Recherche en cours…'));
    try {
      const response = await fetch(`${apiBase}/api/rooms?${query}`, { headers: { Accept: 'application/json' } });
      const payload = await response.json().catch(() => null);
      if (response.ok && Array.isArray(payload)) {
        show(payload);
      } else {
        const errors = payload && payload.errors ? Object.values(payload.errors).flat().join(' ') : '';
        results.replaceChildren(text('p', `${(payload && payload.title) || 'La recherche n\'a pas abouti.'} ${errors}`.trim(), 'erreur'));
      }
    } catch {
      results.replaceChildren(text('p', 'La recherche n\'a pas abouti. Vérifiez votre connexion puis réessayez.', 'erreur'));
    }
  });
})();
