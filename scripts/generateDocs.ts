import { readdir, readFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { format, resolveConfig } from 'prettier';

import { BENCHMARK_MAPPINGS, type Mapping } from '../shared/catalog/benchmarkMappings.js';
import { CONTROLS, type ControlDefinition } from '../shared/catalog/controls.js';
import { benchmarksOf, buildFrameworkIndex } from '../shared/catalog/frameworkIndex.js';
import { FRAMEWORKS } from '../shared/catalog/frameworks.js';
import { OUTCOME_SCOPES, type OutcomeScope } from '../shared/catalog/types.js';

const NOTICE =
  '<!-- Generated from shared/catalog by `npm run docs:generate`; edit the catalog, not this file. -->';

const SCOPE_NAMES: Record<OutcomeScope, string> = {
  arc: '`arc` (Arc-enabled Kubernetes)',
  'aks-arc': '`aks-arc` (AKS on Azure Local)',
  aks: '`aks` (AKS)',
  'arc-agentless': 'agentless Arc connection (AWS, GCP)',
};

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export const controlPage = (id: string): string => `controls/${id.toLowerCase()}.md`;

function mappingText(mappings: readonly Mapping[]): string {
  const direct = mappings.filter((m) => m.relation === 'direct').map((m) => m.id);
  const related = mappings.filter((m) => m.relation === 'related').map((m) => m.id);
  const parts = [
    ...(direct.length ? [direct.join(', ')] : []),
    ...(related.length ? [`${related.join(', ')} (related)`] : []),
  ];
  return parts.join('; ') || '—';
}

function controlsIndex(): string {
  const header = ['control', 'severity', 'version', ...FRAMEWORKS.map((f) => `${f.name} ${f.version}`)];
  const rows = CONTROLS.map((control) => [
    `[${control.id}](${control.id.toLowerCase()}.md) ${control.title}`,
    control.severity,
    String(control.version),
    ...FRAMEWORKS.map((framework) =>
      mappingText(BENCHMARK_MAPPINGS[control.id].filter((m) => m.framework === framework.key)),
    ),
  ]);
  return [
    '# Controls',
    NOTICE,
    `The catalog holds ${CONTROLS.length} data-security controls, ${CONTROLS[0]?.id} to ${CONTROLS.at(-1)?.id}. ` +
      'Each page lists the verdicts the control can reach per cluster kind, how to fix a failure, what a person ' +
      'confirms for a MANUAL verdict, and the framework recommendations it maps to. The rules behind the ' +
      'verdicts are explained in [How verdicts are reached](../verdicts.md); the reverse mapping is in ' +
      '[Frameworks](../frameworks.md).',
    table(header, rows),
  ].join('\n\n');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

function controlDoc(control: ControlDefinition): string {
  const verdicts = table(
    ['scope', 'verdicts it can reach'],
    OUTCOME_SCOPES.map((scope) => [SCOPE_NAMES[scope], control.outcomes[scope].join(', ')]),
  );
  const remediation = Object.entries(control.remediation).map(([kind, text]) => `- **\`${kind}\`**: ${text}`);
  const attestation = Object.entries(control.attestation).map(
    ([scope, text]) => `- **${SCOPE_NAMES[scope as OutcomeScope]}**: ${text}`,
  );
  const mappings = table(
    ['framework', 'version', 'recommendation', 'title', 'relation'],
    benchmarksOf(control.id).map((ref) => [ref.framework, ref.version, ref.id, ref.title, ref.relation]),
  );
  return [
    `# ${control.id} ${control.title}`,
    NOTICE,
    table(['severity', 'version', 'section'], [[control.severity, String(control.version), control.section]]),
    control.objective,
    '## Verdicts',
    'ERROR is possible for every kind beyond these, when the data the control needs is missing or could not be read; a failed read is never a PASS.',
    verdicts,
    '## Remediation',
    remediation.length ? remediation.join('\n') : 'No kind can fail this control.',
    '## What a person confirms for a MANUAL verdict',
    attestation.length ? attestation.join('\n') : 'No kind reaches MANUAL for this control.',
    '## Framework mappings',
    mappings,
    '[All controls](README.md)',
  ].join('\n\n');
}

function frameworksDoc(): string {
  const sections = buildFrameworkIndex().map((framework) => {
    const note = FRAMEWORKS.find((f) => f.key === framework.key)?.note;
    return [
      `## ${framework.name} ${framework.version}`,
      ...(note ? [`Note: ${note}.`] : []),
      table(
        ['recommendation', 'title', 'controls'],
        framework.recommendations.map((entry) => [
          entry.id,
          entry.title,
          entry.controls
            .map(
              (c) =>
                `[${c.controlId}](${controlPage(c.controlId)})${c.relation === 'related' ? ' (related)' : ''}`,
            )
            .join(', '),
        ]),
      ),
    ].join('\n\n');
  });
  return [
    '# Frameworks',
    NOTICE,
    'Every finding carries the recommendations its control maps to (framework, version, ID, title and whether the ' +
      'control addresses it directly or is related). The mappings are data keyed by control ' +
      '(`shared/catalog/benchmarkMappings.ts`), titles are kept once per recommendation ' +
      '(`shared/catalog/recommendations.ts`), and this reverse index is derived from them.',
    ...sections,
  ].join('\n\n');
}

async function titleOf(path: string): Promise<string> {
  const text = await readFile(path, 'utf8');
  return /^#\s+(.+)$/m.exec(text)?.[1]?.trim() ?? path;
}

async function docsIndex(root: string): Promise<string> {
  const files = (await readdir(join(root, 'docs')))
    .filter((name) => name.endsWith('.md') && name !== 'README.md')
    .sort();
  const entries = await Promise.all(
    files.map(async (name) => `- [${await titleOf(join(root, 'docs', name))}](${name})`),
  );
  return [
    '# Documentation',
    NOTICE,
    '- [Controls](controls/README.md): one page per control, generated from the catalog',
    ...entries,
  ].join('\n');
}

/** Every generated page, by path from the repository root, formatted as the repository formats Markdown. */
export async function generatedDocs(root: string): Promise<Map<string, string>> {
  const options = { ...(await resolveConfig(join(root, 'README.md'))), parser: 'markdown' as const };
  const pages = new Map<string, string>([
    ['docs/controls/README.md', controlsIndex()],
    ...CONTROLS.map((control): [string, string] => [`docs/${controlPage(control.id)}`, controlDoc(control)]),
    ['docs/frameworks.md', frameworksDoc()],
    ['docs/README.md', await docsIndex(root)],
  ]);
  const formatted = new Map<string, string>();
  for (const [path, text] of pages) formatted.set(path, await format(`${text}\n`, options));
  return formatted;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = process.cwd();
  for (const [path, text] of await generatedDocs(root)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
    process.stdout.write(`wrote ${path}\n`);
  }
}
