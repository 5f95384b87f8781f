import type { ControlId } from '../catalog/types.js';
import type { ControlEvaluator } from './controlEvaluator.js';
import { ds01SecretsFromVault } from './controls/ds01SecretsFromVault.js';
import { ds02OfflineSecrets } from './controls/ds02OfflineSecrets.js';
import { ds03SecretRotation } from './controls/ds03SecretRotation.js';
import { ds04SecretsEncryption } from './controls/ds04SecretsEncryption.js';
import { ds05EtcdAccess } from './controls/ds05EtcdAccess.js';
import { ds06VolumeEncryption } from './controls/ds06VolumeEncryption.js';
import { ds07TransitProtection } from './controls/ds07TransitProtection.js';
import { ds08GitOpsRecovery } from './controls/ds08GitOpsRecovery.js';
import { ds09BackupRecovery } from './controls/ds09BackupRecovery.js';
import { ds10ConnectedAgents } from './controls/ds10ConnectedAgents.js';

/** The evaluator of each control of catalog version 1. */
export const CONTROL_EVALUATORS: Record<ControlId, ControlEvaluator> = {
  'DS-01': ds01SecretsFromVault,
  'DS-02': ds02OfflineSecrets,
  'DS-03': ds03SecretRotation,
  'DS-04': ds04SecretsEncryption,
  'DS-05': ds05EtcdAccess,
  'DS-06': ds06VolumeEncryption,
  'DS-07': ds07TransitProtection,
  'DS-08': ds08GitOpsRecovery,
  'DS-09': ds09BackupRecovery,
  'DS-10': ds10ConnectedAgents,
};
