import type { FrameworkKey } from './frameworks.js';

/**
 * Titles of the recommendations the catalog maps to, per framework, as each framework's
 * publication titles it (listed in docs/frameworks.md). Each title is kept once here; mappings refer to IDs.
 */
export const RECOMMENDATION_TITLES: Record<FrameworkKey, Readonly<Record<string, string>>> = {
  'cis-kubernetes': {
    '1.2.24': 'Ensure that the --tls-cert-file and --tls-private-key-file arguments are set as appropriate',
    '1.2.25': 'Ensure that the --client-ca-file argument is set as appropriate',
    '1.2.27': 'Ensure that the --encryption-provider-config argument is set as appropriate',
    '1.2.28': 'Ensure that encryption providers are appropriately configured',
    '1.2.29': 'Ensure that the API Server only makes use of Strong Cryptographic Ciphers',
    '2.1': 'Ensure that the --cert-file and --key-file arguments are set as appropriate',
    '2.2': 'Ensure that the --client-cert-auth argument is set to true',
    '2.3': 'Ensure that the --auto-tls argument is not set to true',
    '2.4': 'Ensure that the --peer-cert-file and --peer-key-file arguments are set as appropriate',
    '2.5': 'Ensure that the --peer-client-cert-auth argument is set to true',
    '2.6': 'Ensure that the --peer-auto-tls argument is not set to true',
    '2.7': 'Ensure that a unique Certificate Authority is used for etcd',
    '5.4.2': 'Consider external secret storage',
  },
  'cis-aks': {
    '4.5.2': 'Consider external secret storage',
    '5.3.1': 'Ensure Kubernetes Secrets are encrypted',
    '5.4.5': 'Encrypt traffic to HTTPS load balancers with TLS certificates',
  },
  'nsa-cisa': {
    Secrets: 'Network separation and hardening › Secrets',
    'Control plane hardening › Etcd': 'Network separation and hardening › Control plane hardening › Etcd',
    Encryption: 'Network separation and hardening › Encryption',
    'Upgrading and application security practices': 'Upgrading and application security practices',
  },
  owasp: {
    'Securing data › Alternatives to Kubernetes Secret resources':
      'Deploy phase › Securing data › Alternatives to Kubernetes Secret resources',
    'Securing data › Encrypt secrets at rest': 'Deploy phase › Securing data › Encrypt secrets at rest',
    'Restricting Access To etcd': 'Securing Kubernetes components › Restricting Access To etcd',
    'Providing extra security with a service mesh':
      'Deploy phase › Providing extra security with a service mesh',
    'Updating Kubernetes': 'Securing Kubernetes hosts › Updating Kubernetes',
  },
  mcsb: {
    'AM-1': 'Track asset inventory and their risks',
    'BR-1': 'Ensure regular automated backups',
    'BR-2': 'Protect backup and recovery data',
    'DP-3': 'Encrypt sensitive data in transit',
    'DP-4': 'Enable data at rest encryption by default',
    'DP-5': 'Use customer-managed key option in data at rest encryption when required',
    'DP-6': 'Use a secure key management process',
    'DP-7': 'Use a secure certificate management process',
    'IM-4': 'Authenticate server and services',
    'IM-8': 'Restrict the exposure of credential and secrets',
    'PV-2': 'Audit and enforce secure configurations',
    'PV-6': 'Rapidly and automatically remediate vulnerabilities',
  },
  'nist-800-53': {
    'CM-2': 'Baseline Configuration',
    'CM-6': 'Configuration Settings',
    'CM-8': 'System Component Inventory',
    'CP-9': 'System Backup',
    'CP-10': 'System Recovery and Reconstitution',
    'IA-5': 'Authenticator Management',
    'SC-8': 'Transmission Confidentiality and Integrity',
    'SC-8(1)': 'Transmission Confidentiality and Integrity | Cryptographic Protection',
    'SC-12': 'Cryptographic Key Establishment and Management',
    'SC-28': 'Protection of Information at Rest',
    'SC-28(1)': 'Protection of Information at Rest | Cryptographic Protection',
    'SI-2': 'Flaw Remediation',
  },
};
