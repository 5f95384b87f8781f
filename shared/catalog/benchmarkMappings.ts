import type { FrameworkKey } from './frameworks.js';
import type { ControlId } from './types.js';

export interface Mapping {
  framework: FrameworkKey;
  id: string;
  relation: 'direct' | 'related';
}

const d = (framework: FrameworkKey, ...ids: string[]): Mapping[] =>
  ids.map((id) => ({ framework, id, relation: 'direct' }));
const r = (framework: FrameworkKey, ...ids: string[]): Mapping[] =>
  ids.map((id) => ({ framework, id, relation: 'related' }));

/**
 * Which recommendations each control maps to (each control's mappings in docs/controls/). The reverse
 * index (framework → recommendation → controls) is derived from this table in frameworkIndex.ts.
 */
export const BENCHMARK_MAPPINGS: Record<ControlId, readonly Mapping[]> = {
  'DS-01': [
    ...d('cis-kubernetes', '5.4.2'),
    ...d('cis-aks', '4.5.2'),
    ...r('nsa-cisa', 'Secrets'),
    ...d('owasp', 'Securing data › Alternatives to Kubernetes Secret resources'),
    ...d('mcsb', 'IM-8'),
    ...r('mcsb', 'DP-6'),
    ...d('nist-800-53', 'IA-5', 'SC-12', 'SC-28'),
  ],
  'DS-02': [...r('cis-kubernetes', '5.4.2'), ...r('mcsb', 'IM-8', 'BR-1'), ...r('nist-800-53', 'CP-9')],
  'DS-03': [
    ...r('cis-kubernetes', '5.4.2'),
    ...r('cis-aks', '4.5.2'),
    ...d('mcsb', 'DP-6'),
    ...r('mcsb', 'IM-8'),
    ...d('nist-800-53', 'IA-5', 'SC-12'),
  ],
  'DS-04': [
    ...d('cis-kubernetes', '1.2.27', '1.2.28'),
    ...d('cis-aks', '5.3.1'),
    ...d('nsa-cisa', 'Secrets'),
    ...d('owasp', 'Securing data › Encrypt secrets at rest'),
    ...d('mcsb', 'DP-4'),
    ...r('mcsb', 'DP-5', 'DP-6'),
    ...d('nist-800-53', 'SC-28', 'SC-12'),
  ],
  'DS-05': [
    ...d('cis-kubernetes', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '2.7'),
    ...d('nsa-cisa', 'Control plane hardening › Etcd'),
    ...d('owasp', 'Restricting Access To etcd'),
    ...r('mcsb', 'DP-3', 'DP-7'),
    ...d('nist-800-53', 'SC-8', 'SC-12'),
  ],
  'DS-06': [
    ...r('owasp', 'Securing data › Encrypt secrets at rest'),
    ...d('mcsb', 'DP-4'),
    ...r('mcsb', 'DP-5'),
    ...d('nist-800-53', 'SC-28', 'SC-28(1)'),
  ],
  'DS-07': [
    ...r('cis-kubernetes', '1.2.24', '1.2.25', '1.2.29'),
    ...r('cis-aks', '5.4.5'),
    ...d('nsa-cisa', 'Encryption'),
    ...r('owasp', 'Providing extra security with a service mesh'),
    ...d('mcsb', 'DP-3'),
    ...r('mcsb', 'IM-4'),
    ...d('nist-800-53', 'SC-8', 'SC-8(1)'),
  ],
  'DS-08': [...r('mcsb', 'BR-1', 'PV-2'), ...d('nist-800-53', 'CM-2', 'CM-6', 'CP-9')],
  'DS-09': [
    ...r('owasp', 'Securing data › Encrypt secrets at rest'),
    ...d('mcsb', 'BR-1'),
    ...r('mcsb', 'BR-2'),
    ...d('nist-800-53', 'CP-9', 'CP-10'),
  ],
  'DS-10': [
    ...r('nsa-cisa', 'Upgrading and application security practices'),
    ...r('owasp', 'Updating Kubernetes'),
    ...r('mcsb', 'AM-1', 'PV-6'),
    ...d('nist-800-53', 'CM-8', 'SI-2'),
  ],
};
