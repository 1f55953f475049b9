// Generates functions/ResoSolidaire.Functions/Territory/Data/communes.tsv from the official data
// shipped by the npm package @etalab/decoupage-administratif (INSEE / La Poste / DGCL):
// every current French commune with its INSEE code, name, postal codes and EPCI, flagged when it
// belongs to one of the four EPCIs of the Pays de Rennes. Run: npm run communes
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = '@etalab/decoupage-administratif';
const PAYS_DE_RENNES = new Map([
  ['243500139', 'Rennes Métropole'],
  ['243500667', "Val d'Ille-Aubigné"],
  ['243500774', 'Liffré-Cormier Communauté'],
  ['243500659', 'Pays de Châteaugiron Communauté'],
]);
const EXPECTED_PAYS_DE_RENNES = 76;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const packageDir = dirname(require.resolve(`${PACKAGE}/package.json`));
const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
const communes = JSON.parse(readFileSync(join(packageDir, 'data', 'communes.json'), 'utf8'));
const epcis = JSON.parse(readFileSync(join(packageDir, 'data', 'epci.json'), 'utf8'));

const epciOf = new Map();
for (const epci of epcis) {
  for (const member of epci.membres) {
    epciOf.set(member.code, epci.code);
  }
}

const clean = (text) => {
  if (/[\t\r\n]/.test(text)) {
    throw new Error(`Unexpected tab or line break in ${JSON.stringify(text)}`);
  }
  return text;
};

const rows = communes
  .filter((c) => c.type === 'commune-actuelle')
  .sort((a, b) => a.code.localeCompare(b.code))
  .map((c) => {
    const epci = epciOf.get(c.code) ?? '';
    const inTerritory = PAYS_DE_RENNES.has(epci);
    return [c.code, clean(c.nom), (c.codesPostaux ?? []).join(' '), epci, inTerritory ? '1' : '0'].join('\t');
  });

const inTerritory = rows.filter((r) => r.endsWith('\t1')).length;
if (inTerritory !== EXPECTED_PAYS_DE_RENNES) {
  throw new Error(`Expected ${EXPECTED_PAYS_DE_RENNES} communes in the Pays de Rennes, found ${inTerritory}.`);
}
if (rows.length < 34000) {
  throw new Error(`Only ${rows.length} communes: the source data looks incomplete.`);
}

const header = [
  '# Communes of France: INSEE code, name, postal codes, EPCI (SIREN), Pays de Rennes flag.',
  `# source: npm package ${PACKAGE} ${version} (https://github.com/etalab/decoupage-administratif, MIT; data from INSEE, La Poste and the DGCL), files data/communes.json (type commune-actuelle) and data/epci.json`,
  `# package-version: ${version}`,
  `# generated: ${new Date().toISOString().slice(0, 10)} by scripts/generate-communes.mjs`,
  `# pays-de-rennes: EPCIs ${[...PAYS_DE_RENNES.keys()].join(' ')} (${inTerritory} communes)`,
  `# count: ${rows.length}`,
  '# columns: insee\tname\tpostalCodes (space-separated)\tepci\tpaysDeRennes (1 or 0)',
];

const target = join(root, 'functions', 'ResoSolidaire.Functions', 'Territory', 'Data', 'communes.tsv');
writeFileSync(target, `${header.join('\n')}\n${rows.join('\n')}\n`, 'utf8');
console.log(`Wrote ${rows.length} communes (${inTerritory} in the Pays de Rennes) to ${target}`);
