#!/usr/bin/env bash
# The test command: installs what the tests need, checks formatting, builds with warnings as errors,
# checks the infrastructure code, then runs every test (unit, Azurite, end-to-end through the local
# functions host, browser). Usage: ./scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

step "Node packages (Azurite, French territory data)"
npm ci --no-audit --no-fund --loglevel=error

# chromium-l10n: the browser's own French words (a date field reads « jj/mm/aaaa », as staff see it, in the
# screenshots). No test depends on it: where it cannot be added to an existing chromium, the run goes on.
if [ ! -x /usr/bin/chromium ]; then
  step "Chromium in French for the browser tests (Debian packages)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-l10n >/dev/null
elif [ ! -f /usr/lib/chromium/locales/fr.pak ]; then
  step "Chromium's French resources for the screenshots (Debian package chromium-l10n)"
  { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-l10n >/dev/null; } \
    || echo "chromium-l10n could not be installed: the screenshots will show chromium's English date placeholders."
fi

step "Restore"
dotnet restore ResoSolidaire.sln --locked-mode

step "Format (dotnet format --verify-no-changes)"
dotnet format ResoSolidaire.sln --verify-no-changes --no-restore

step "Build (Release, warnings are errors)"
dotnet build ResoSolidaire.sln -c Release --no-restore -nologo -clp:ErrorsOnly

if [ -x scripts/check-infra.sh ]; then
  step "Infrastructure (bicep build and lint)"
  scripts/check-infra.sh
fi

step "Tests"
results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
status=0
dotnet test ResoSolidaire.sln -c Release --no-build -nologo \
  --logger "trx" --results-directory "$results" -- RunConfiguration.TreatNoTestsAsError=true || status=$?

# One closing line for every runner: "N passed, N failed".
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
done
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "No test ran." >&2
  status=1
fi
printf '\n%s passed, %s failed, %s skipped\n' "$passed" "$failed" "$skipped"
exit "$status"
