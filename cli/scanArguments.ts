import { parseArgs } from 'node:util';

import { STATUSES, type Status } from '../shared/catalog/types.js';
import {
  parseOutputFormats,
  UnknownFormatError,
  type OutputFormat,
} from '../shared/formats/outputFormats.js';
import { UsageError } from './commandIo.js';

export interface ScanArguments {
  inventories: string[];
  out: string;
  failOn: Status[];
  settingsFile: string | undefined;
  asOf: Date | undefined;
  live: boolean;
  subscriptions: string[];
  managementGroups: string[];
  cluster: string | undefined;
  store: boolean;
  scopeLabel: string;
  /** Interchange formats to write; every one when absent. */
  formats?: OutputFormat[];
  governanceFile?: string | undefined;
}

export const SCAN_USAGE = `Usage:
  npm run scan -- --inventory FILE [--inventory FILE ...] --out DIR [--fail-on STATUS] [--settings FILE] [--as-of TIME]
  npm run scan -- --live [--subscription ID ...] [--management-group ID ...] --out DIR [options]
  npm run scan -- --live --cluster RESOURCE_ID --out DIR [options]

Options:
  --inventory FILE  inventory JSON (array, {data}, {value} or one resource); repeat for several files
                    (file names after it, e.g. from a shell glob, are read as inventories too)
  --out DIR         folder for findings.json and findings.csv (created if missing)
  --fail-on STATUS  exit 1 when any finding has this status (PASS, FAIL, MANUAL, NOT_APPLICABLE, ERROR);
                    repeat or separate with commas for several
  --settings FILE   thresholds and Azure Local host mappings (JSON, see README)
  --governance FILE exceptions and attestations to apply (JSON or YAML {exceptions, attestations}); an
                    invalid file is exit 2 and nothing is written
  --as-of TIME      judge time-dependent rules (days offline) as of this ISO-8601 time; default now
  --live            read Azure Resource Graph (ARM_ENDPOINT, default https://management.azure.com) with
                    the default Azure credential chain; scope: --subscription, --management-group, or
                    every subscription the identity can read
  --cluster ID      with --live: re-check one cluster straight from Resource Manager
  --no-store        do not store the run, even when storage is configured (STORAGE_CONNECTION or
                    STORAGE_ACCOUNT_NAME)
  --formats LIST    interchange formats written beside findings.json: oscal (assessment-results.oscal.json),
                    ocsf (findings.ocsf.json), all or none; comma-separated; default all
  --scope-label L   for offline scans: the scope the run belongs to (runs are compared with the
                    previous complete run of the same scope); default "default"
Exit codes: 0 scan completed, 1 a --fail-on status was found, 2 usage, input or configuration error,
3 Azure or storage could not be reached at the start (nothing scanned), 4 storing the run failed
(the run is marked failed; the local outputs were written).
`;

function scopeLabel(value: string | undefined): string {
  if (value === undefined) return 'default';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(value)) {
    throw new UsageError('--scope-label takes 1–64 letters, digits, dots, dashes or underscores');
  }
  return value;
}

/** Parses the scan command line; throws {@link UsageError} with a message fit for the user. */
export function parseScanArguments(argv: readonly string[]): ScanArguments | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: {
        inventory: { type: 'string', multiple: true },
        out: { type: 'string' },
        'fail-on': { type: 'string', multiple: true },
        settings: { type: 'string' },
        'as-of': { type: 'string' },
        live: { type: 'boolean' },
        subscription: { type: 'string', multiple: true },
        'management-group': { type: 'string', multiple: true },
        cluster: { type: 'string' },
        'no-store': { type: 'boolean' },
        'scope-label': { type: 'string' },
        formats: { type: 'string', multiple: true },
        governance: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  const live = values.live ?? false;
  // Extra file names after --inventory (a shell glob such as --inventory fleet/*.json) are inventories too.
  const inventories = [...(values.inventory ?? []), ...positionals];
  if (!live && inventories.length === 0)
    throw new UsageError('give at least one --inventory FILE (or --live)');
  if (live && inventories.length > 0) throw new UsageError('--live and --inventory cannot be combined');
  const subscriptions = (values.subscription ?? []).flatMap((value) => value.split(',')).filter(Boolean);
  const managementGroups = (values['management-group'] ?? [])
    .flatMap((value) => value.split(','))
    .filter(Boolean);
  if (!live && (subscriptions.length > 0 || managementGroups.length > 0 || values.cluster !== undefined)) {
    throw new UsageError('--subscription, --management-group and --cluster go with --live');
  }
  if (values.cluster !== undefined && (subscriptions.length > 0 || managementGroups.length > 0)) {
    throw new UsageError(
      '--cluster names one cluster; do not combine it with --subscription or --management-group',
    );
  }
  if (!values.out) throw new UsageError('--out DIR is required');
  const failOn = (values['fail-on'] ?? [])
    .flatMap((value) => value.split(','))
    .map((value) => {
      const status = value.trim().toUpperCase();
      if (!(STATUSES as readonly string[]).includes(status)) {
        throw new UsageError(`--fail-on takes one of ${STATUSES.join(', ')}; got "${value}"`);
      }
      return status as Status;
    });
  let asOf: Date | undefined;
  if (values['as-of'] !== undefined) {
    asOf = new Date(values['as-of']);
    if (!/^\d{4}-\d{2}-\d{2}/.test(values['as-of']) || Number.isNaN(asOf.getTime())) {
      throw new UsageError(`--as-of must be an ISO-8601 time, got "${values['as-of']}"`);
    }
  }
  let formats: OutputFormat[];
  try {
    formats = parseOutputFormats(values.formats);
  } catch (error) {
    if (error instanceof UnknownFormatError) throw new UsageError(error.message);
    throw error;
  }
  return {
    formats,
    inventories,
    out: values.out,
    failOn,
    settingsFile: values.settings,
    asOf,
    live,
    subscriptions,
    managementGroups,
    cluster: values.cluster,
    store: !(values['no-store'] ?? false),
    scopeLabel: scopeLabel(values['scope-label']),
    governanceFile: values.governance,
  };
}
