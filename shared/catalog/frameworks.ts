/** The frameworks the catalog maps to, with the versions the mappings were made against. */
export const FRAMEWORKS = [
  {
    key: 'cis-kubernetes',
    name: 'CIS Kubernetes Benchmark',
    version: 'v1.10.0',
    note: 'IDs unchanged in v1.11–v2.0.1 except the etcd section of v1.11.1',
  },
  { key: 'cis-aks', name: 'CIS Azure Kubernetes Service (AKS) Benchmark', version: 'v1.7.0', note: '' },
  {
    key: 'nsa-cisa',
    name: 'NSA/CISA Kubernetes Hardening Guidance',
    version: 'v1.2',
    note: 'the guide has no numbers; IDs are section names',
  },
  {
    key: 'owasp',
    name: 'OWASP Kubernetes Security Cheat Sheet',
    version: 'current',
    note: 'IDs are section headings',
  },
  { key: 'mcsb', name: 'Microsoft cloud security benchmark', version: 'v1', note: '' },
  { key: 'nist-800-53', name: 'NIST SP 800-53', version: 'Rev. 5', note: '' },
] as const;

export type FrameworkKey = (typeof FRAMEWORKS)[number]['key'];
export type Framework = (typeof FRAMEWORKS)[number];

export function frameworkByKey(key: FrameworkKey): Framework {
  const framework = FRAMEWORKS.find((candidate) => candidate.key === key);
  if (!framework) throw new RangeError(`unknown framework ${key}`);
  return framework;
}
