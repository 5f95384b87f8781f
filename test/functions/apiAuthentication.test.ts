import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { HttpRequest, InvocationContext } from '@azure/functions';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { route } from '../../functions/httpApi.js';
import { readClientPrincipal } from '../../shared/api/clientPrincipal.js';
import {
  handleClusterHistory,
  handleDeadLetters,
  handleGetRun,
  handleListRuns,
  handleRescan,
  handleRunResource,
  handleStartScan,
  type ApiDependencies,
} from '../../shared/api/complianceApi.js';
import { apiAuthentication } from '../../shared/api/platformAuthentication.js';
import { apiRequest, principalHeader } from './apiRequests.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const HANDLERS = [
  handleListRuns,
  handleGetRun,
  handleRunResource,
  handleClusterHistory,
  handleDeadLetters,
  handleStartScan,
  handleRescan,
];

/** Dependencies that fail the test if a handler gets as far as using them. */
const untouchable: ApiDependencies = new Proxy({} as ApiDependencies, {
  get: (_target, name) => {
    throw new Error(`the API used ${String(name)} although it must refuse the request`);
  },
});

const FORGED_ADMIN = principalHeader(['Compliance.Admin']);

describe('the API is served only behind platform authentication', () => {
  it('serves when the setting says App Service Authentication and the platform reports it on', () => {
    expect(
      apiAuthentication({ API_AUTHENTICATION: 'AppServiceAuthentication', WEBSITE_AUTH_ENABLED: 'True' }),
    ).toEqual({ serve: true, mode: 'AppServiceAuthentication' });
    expect(apiAuthentication({ API_AUTHENTICATION: 'LocalDevelopment' })).toEqual({
      serve: true,
      mode: 'LocalDevelopment',
    });
  });

  it('refuses when it cannot tell that the platform authenticates callers', () => {
    const refused: Array<Record<string, string>> = [
      {},
      { WEBSITE_AUTH_ENABLED: 'True' },
      { API_AUTHENTICATION: '' },
      { API_AUTHENTICATION: 'AppServiceAuthentication' },
      { API_AUTHENTICATION: 'AppServiceAuthentication', WEBSITE_AUTH_ENABLED: 'False' },
      { API_AUTHENTICATION: 'AppServiceAuthentication', WEBSITE_AUTH_ENABLED: '' },
      { API_AUTHENTICATION: 'appserviceauthentication', WEBSITE_AUTH_ENABLED: 'True' },
      { API_AUTHENTICATION: 'None', WEBSITE_AUTH_ENABLED: 'True' },
      { API_AUTHENTICATION: 'true' },
      // The local switch is refused wherever App Service runs the app.
      { API_AUTHENTICATION: 'LocalDevelopment', WEBSITE_INSTANCE_ID: 'a1b2c3' },
      { API_AUTHENTICATION: 'LocalDevelopment', WEBSITE_SKU: 'FlexConsumption' },
    ];
    for (const env of refused) {
      const decision = apiAuthentication(env);
      expect(decision.serve, JSON.stringify(env)).toBe(false);
      if (!decision.serve) expect(decision.reason).toMatch(/API_AUTHENTICATION/);
    }
  });

  it('any other value of the setting refuses (property)', () => {
    fc.assert(
      fc.property(
        fc
          .string()
          .filter((value) => !['AppServiceAuthentication', 'LocalDevelopment'].includes(value.trim())),
        fc.constantFrom(undefined, 'True', 'true', 'False'),
        (value, enabled) => {
          expect(apiAuthentication({ API_AUTHENTICATION: value, WEBSITE_AUTH_ENABLED: enabled }).serve).toBe(
            false,
          );
        },
      ),
    );
  });

  it('every route answers 503 problem+json, whatever principal is sent, and reads nothing', async () => {
    for (const env of [{}, { API_AUTHENTICATION: 'AppServiceAuthentication' }]) {
      for (const handler of HANDLERS) {
        const logged: string[] = [];
        const context = new InvocationContext({
          functionName: handler.name,
          invocationId: 'inv-503',
          logHandler: (_level, ...args) => logged.push(args.map(String).join(' ')),
        });
        const response = await route(async (request) => handler(request, untouchable), env)(
          new HttpRequest({
            method: 'POST',
            url: 'https://app.test/api/scans',
            headers: { 'x-ms-client-principal': FORGED_ADMIN },
            body: { string: '{}' },
          }),
          context,
        );
        expect(response.status).toBe(503);
        expect((response.headers as Record<string, string>)['content-type']).toMatch(/problem\+json/);
        expect(response.jsonBody).toMatchObject({ status: 503, instance: 'inv-503' });
        expect(logged.join('\n')).toMatch(/API_AUTHENTICATION/);
      }
    }
  });
});

describe('roles come only from "roles" claims', () => {
  it('a header naming another claim type as its role type grants nothing', async () => {
    const forged = Buffer.from(
      JSON.stringify({
        auth_typ: 'aad',
        name_typ: 'name',
        role_typ: 'groups',
        claims: [
          { typ: 'name', val: 'mallory' },
          { typ: 'groups', val: 'Compliance.Admin' },
        ],
      }),
    ).toString('base64');
    expect(readClientPrincipal(forged)?.roles).toEqual([]);
    const response = await handleStartScan(
      apiRequest({ method: 'POST', principal: forged, body: '{}' }),
      untouchable,
    );
    expect(response.status).toBe(403);
  });

  it('whatever role_typ and claim types a principal carries, only "roles" claims are roles (property)', () => {
    const claimType = fc.oneof(
      fc.constantFrom(
        'role',
        'Roles',
        'ROLES',
        'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
        'groups',
        'wids',
        'scp',
        ' roles',
        'roles ',
      ),
      fc.string(),
    );
    fc.assert(
      fc.property(
        claimType,
        fc.array(fc.tuple(claimType, fc.constantFrom('Compliance.Admin', 'Compliance.Reader')), {
          maxLength: 6,
        }),
        fc.array(fc.constantFrom('Compliance.Admin', 'Compliance.Reader', 'Other'), { maxLength: 3 }),
        (roleType, otherClaims, roles) => {
          const header = Buffer.from(
            JSON.stringify({
              auth_typ: 'aad',
              role_typ: roleType,
              claims: [
                ...otherClaims.filter(([typ]) => typ !== 'roles').map(([typ, val]) => ({ typ, val })),
                ...roles.map((val) => ({ typ: 'roles', val })),
              ],
            }),
          ).toString('base64');
          expect(new Set(readClientPrincipal(header)?.roles)).toEqual(new Set(roles));
        },
      ),
    );
  });
});

describe('the deployment template makes authentication mandatory', () => {
  it('has no way to deploy the app without App Service Authentication in front of the API', async () => {
    const bicep = await readFile(join(ROOT, 'infra', 'main.bicep'), 'utf8');
    // The app registration is a required parameter: no default that skips authentication.
    expect(bicep).toMatch(/^param authClientId string\s*$/m);
    const resource = /resource authentication 'Microsoft\.Web\/sites\/config@[\d-]+' = (\S+)/.exec(bicep);
    expect(resource?.[1], 'the authentication resource is unconditional').toBe('{');
    expect(bicep).toMatch(/platform: \{ enabled: true \}/);
    expect(bicep).toMatch(/requireAuthentication: true/);
    expect(bicep).toMatch(/unauthenticatedClientAction: 'Return40[13]'/);
    // The app is told it runs behind platform authentication (and checks the platform agrees).
    expect(bicep).toMatch(/\{ name: 'API_AUTHENTICATION', value: 'AppServiceAuthentication' \}/);
  });

  it('the local settings sample turns on local development explicitly, which App Service refuses', async () => {
    const sample = JSON.parse(await readFile(join(ROOT, 'local.settings.sample.json'), 'utf8')) as {
      Values: Record<string, string>;
    };
    expect(sample.Values.API_AUTHENTICATION).toBe('LocalDevelopment');
    expect(apiAuthentication(sample.Values).serve).toBe(true);
    // Published to App Service by mistake, the same settings refuse to serve.
    expect(
      apiAuthentication({ ...sample.Values, WEBSITE_INSTANCE_ID: 'abc', WEBSITE_AUTH_ENABLED: 'True' }).serve,
    ).toBe(false);
  });
});
