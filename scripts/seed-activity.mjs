// Posts a first day of activity (samples/data/activite-exemple.json) through the public forms, as the website
// would, so that the local console has messages, cases, an event and a room to work on. Runs only when the
// inbox is empty, so a second run adds nothing. Called by seed.sh.
//   node scripts/seed-activity.mjs <api> <staff token>
import { readFile } from 'node:fs/promises';

const [api, token] = process.argv.slice(2);
const say = (text) => console.log(`[seed] ${text}`);

const inbox = await fetch(`${api}/api/staff/inbox/messages?pageSize=1`, { headers: { Authorization: `Bearer ${token}` } });
if (!inbox.ok) {
  say(`The inbox answered ${inbox.status}: no sample activity posted.`);
  process.exit(1);
}
if ((await inbox.json()).items.length > 0) {
  say('The inbox already holds messages: no sample activity posted.');
  process.exit(0);
}

const inDays = (days) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const sample = JSON.parse(await readFile(new URL('../samples/data/activite-exemple.json', import.meta.url), 'utf8'));
let posted = 0;
for (const { path, body } of sample.posts) {
  const json = JSON.stringify(body).replace(/\{\{date\+(\d+)\}\}/g, (_, days) => inDays(Number(days)));
  const answer = await fetch(`${api}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: json,
  });
  if (answer.ok) {
    posted++;
  } else {
    say(`${path} answered ${answer.status}: ${await answer.text()}`);
  }
}
say(`Sample activity posted through the public forms: ${posted} of ${sample.posts.length} (messages, porteurs de projet, an agenda event and a room to moderate).`);
process.exit(posted === sample.posts.length ? 0 : 1);
