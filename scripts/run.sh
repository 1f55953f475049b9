#!/usr/bin/env bash
# The run command: the whole backend on this machine, as it runs in Azure.
#   Azurite (storage, data kept in .azurite/)  http://127.0.0.1:10000-10002
#   local SendGrid sink (mails land here)      http://localhost:7072
#   sample website (the French forms)          http://localhost:8080
#   local functions host + the function app    http://localhost:7071/api/...
#   staff console (development sign-in)        http://localhost:7071/api/equipe
# Usage: ./scripts/run.sh [--no-build]          Ctrl+C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[run] %s\n' "$*"; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "Installing Node packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ ! -f local.settings.json ]; then
  say "Creating local.settings.json from local.settings.sample.json"
  cp local.settings.sample.json local.settings.json
fi

if [ "${1:-}" = "--no-build" ]; then
  say "Skipping the build (--no-build)"
else
  say "Building the function app and the local tools"
  dotnet build scripts/run.slnf -nologo -clp:ErrorsOnly -v:q
fi

if listening 10000 || listening 10002; then
  say "A storage emulator already listens on ports 10000/10002: using it."
else
  say "Starting Azurite (data kept in .azurite/)"
  mkdir -p .azurite
  node node_modules/azurite/dist/src/azurite.js --silent --skipApiVersionCheck --location .azurite \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 >/dev/null 2>&1 &
  pids+=($!)
fi

for _ in $(seq 1 100); do
  listening 10000 && listening 10002 && break
  sleep 0.1
done
listening 10000 && listening 10002 || { say "Azurite did not start: run 'npm ci' and try again."; exit 1; }

if listening 7072; then
  say "Port 7072 is already in use: mails go to whatever listens there."
else
  dotnet tools/ResoSolidaire.MailSink/bin/Debug/net10.0/ResoSolidaire.MailSink.dll --port 7072 &
  pids+=($!)
fi

if [ -f scripts/serve-site.mjs ]; then
  if listening 8080; then
    say "Port 8080 is already in use: the sample website is not served."
  else
    node scripts/serve-site.mjs --port 8080 &
    pids+=($!)
  fi
fi

if [ -f scripts/seed.sh ]; then
  scripts/seed.sh &
  pids+=($!)
fi

say "Mails: http://localhost:7072/   Website: http://localhost:8080/   API: http://localhost:7071/api/health"
say "Outil de l'équipe : http://localhost:7071/api/equipe  (connexion de développement : choisissez une personne de local.settings.json)"
dotnet tools/ResoSolidaire.LocalHost/bin/Debug/net10.0/ResoSolidaire.LocalHost.dll \
  --app functions/ResoSolidaire.Functions/bin/Debug/net10.0 --settings local.settings.json --port 7071 &
host=$!
pids+=("$host")
wait "$host"
