#!/usr/bin/env bash
# Seeds the local backend with the sample staff spreadsheet (samples/data/acteurs-exemple.csv, Windows-1252),
# through the staff import endpoint, as staff would, then with a first day of activity posted through the public
# forms (samples/data/activite-exemple.json: contact messages, porteurs de projet, an agenda event and a room to
# moderate). Idempotent: the import matches existing actors (SIRET, e-mail, name + commune), so a second run
# reports every row "unchanged"; the activity is posted only while the inbox is empty.
# run.sh starts it in the background; it can also be run on its own while the backend runs.
#   ./scripts/seed.sh                 (API at http://localhost:7071, the import script's token from local.settings.json)
#   API=http://localhost:7071 ./scripts/seed.sh
#   SETTINGS=local.settings.sample.json ./scripts/seed.sh   (the settings file whose token to use)
set -euo pipefail
cd "$(dirname "$0")/.."

api="${API:-http://localhost:7071}"
sample="samples/data/acteurs-exemple.csv"
say() { printf '[seed] %s\n' "$*"; }

settings="${SETTINGS:-local.settings.json}"
[ -f "$settings" ] || settings=local.settings.sample.json
# The development token of an application (a user entry without Email) of LocalAuthentication.Users: the
# local host turns it into the principal App Service Authentication gives a script holding an app role.
token="$(node -e 'const s=require(process.argv[1]); const u=((s.LocalAuthentication||{}).Users||[]).find(u => u.Token && !u.Email && (u.Roles||[]).length); process.stdout.write(u ? u.Token : "")' "$PWD/$settings")"
if [ -z "$token" ]; then
  say "No application with a Token in $settings (LocalAuthentication.Users): nothing seeded."
  exit 1
fi

# Any answer will do (mail may be down): the import needs storage only, and says so when it is not there.
answered() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$api/api/health" || true)" != "000" ]; }
for _ in $(seq 1 180); do
  answered && break
  sleep 1
done
if ! answered; then
  say "The backend did not answer at $api/api/health: nothing seeded."
  exit 1
fi

for attempt in 1 2 3 4 5; do
  report="$(curl -sS --max-time 120 -X POST "$api/api/staff/directory/import" \
    -H "Authorization: Bearer $token" -H "Content-Type: text/csv" --data-binary "@$sample" -w '\n%{http_code}')"
  status="${report##*$'\n'}"
  body="${report%$'\n'*}"
  # 503: storage not reachable yet (Azurite starting); re-running the import is safe.
  [ "$status" = "503" ] && [ "$attempt" -lt 5 ] && { sleep 5; continue; }
  break
done
if [ "$status" != "200" ]; then
  say "Import of $sample answered $status: $body"
  exit 1
fi
summary="$(node -e 'const r=JSON.parse(process.argv[1]).summary; process.stdout.write(`${r.rows} rows: ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.rejected} rejected`)' "$body")"
say "Directory seeded from $sample ($summary)."

node scripts/seed-activity.mjs "$api" "$token"
