import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ROLES } from '../../shared/api/clientPrincipal.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('app roles declared in infra', () => {
  it('appRoles.json declares exactly the roles the API checks, with unique IDs, and the template names all three', async () => {
    const roles = JSON.parse(await readFile(join(ROOT, 'infra', 'appRoles.json'), 'utf8')) as Array<{
      id: string;
      value: string;
      allowedMemberTypes: string[];
      isEnabled: boolean;
    }>;
    expect(roles.map((role) => role.value).sort()).toEqual(Object.values(ROLES).sort());
    expect(new Set(roles.map((role) => role.id)).size).toBe(roles.length);
    for (const role of roles) {
      expect(role.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(role.isEnabled).toBe(true);
      expect(role.allowedMemberTypes.length).toBeGreaterThan(0);
    }
    // Approving is a person's decision: no application can hold the approver role.
    expect(roles.find((role) => role.value === ROLES.approver)?.allowedMemberTypes).toEqual(['User']);
    const bicep = await readFile(join(ROOT, 'infra', 'main.bicep'), 'utf8');
    for (const value of Object.values(ROLES)) expect(bicep).toContain(value);
    expect(bicep).toMatch(/^output requiredAppRoles array = loadJsonContent\('appRoles\.json'\)$/m);
  });
});
