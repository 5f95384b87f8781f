/**
 * The frameworks the catalog maps to, with the versions the mappings were made against. `shortName`
 * is how reports name a framework in prose, `label` prefixes a reference in findings.csv
 * (`MCSB IM-8`), `sheetName` is its workbook sheet (at most 31 characters, none of []:*?/\).
 */
export const FRAMEWORKS = [
  {
    key: 'cis-kubernetes',
    name: 'CIS Kubernetes Benchmark',
    shortName: 'CIS Kubernetes',
    label: 'CIS-K8S',
    sheetName: 'CIS Kubernetes v1.10.0',
    version: 'v1.10.0',
    note: 'IDs unchanged in v1.11–v2.0.1 except the etcd section of v1.11.1',
  },
  {
    key: 'cis-aks',
    name: 'CIS Azure Kubernetes Service (AKS) Benchmark',
    shortName: 'CIS AKS',
    label: 'CIS-AKS',
    sheetName: 'CIS AKS v1.7.0',
    version: 'v1.7.0',
    note: '',
  },
  {
    key: 'nsa-cisa',
    name: 'NSA/CISA Kubernetes Hardening Guidance',
    shortName: 'NSA/CISA',
    label: 'NSA-CISA',
    sheetName: 'NSA-CISA v1.2',
    version: 'v1.2',
    note: 'the guide has no numbers; IDs are section names',
  },
  {
    key: 'owasp',
    name: 'OWASP Kubernetes Security Cheat Sheet',
    shortName: 'OWASP',
    label: 'OWASP',
    sheetName: 'OWASP K8s Cheat Sheet',
    version: 'current',
    note: 'IDs are section headings',
  },
  {
    key: 'mcsb',
    name: 'Microsoft cloud security benchmark',
    shortName: 'MCSB',
    label: 'MCSB',
    sheetName: 'MCSB v1',
    version: 'v1',
    note: '',
  },
  {
    key: 'nist-800-53',
    name: 'NIST SP 800-53',
    shortName: 'NIST SP 800-53',
    label: 'NIST-800-53',
    sheetName: 'NIST 800-53 Rev. 5',
    version: 'Rev. 5',
    note: '',
  },
] as const;

export type FrameworkKey = (typeof FRAMEWORKS)[number]['key'];
export type Framework = (typeof FRAMEWORKS)[number];

export function frameworkByKey(key: FrameworkKey): Framework {
  const framework = FRAMEWORKS.find((candidate) => candidate.key === key);
  if (!framework) throw new RangeError(`unknown framework ${key}`);
  return framework;
}

/** The framework a benchmark reference's `framework` (its full name) belongs to, if any. */
export function frameworkNamed(name: string): Framework | undefined {
  return FRAMEWORKS.find((framework) => framework.name === name);
}

/** The frameworks' short names as a sentence list: "A, B and C". */
export function frameworkShortNames(): string {
  const names = FRAMEWORKS.map((framework) => framework.shortName);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names.join('');
}
