/** Roles of the API, as app roles of the Entra ID app registration. */
export const ROLES = {
  reader: 'Compliance.Reader',
  admin: 'Compliance.Admin',
  /** Approves governance records created by someone else (four eyes). */
  approver: 'Compliance.Approver',
} as const;

/** The claim type that carries app roles in the principal App Service Authentication passes on. */
export const ROLE_CLAIM_TYPE = 'roles';

export interface ClientPrincipal {
  name: string;
  identityProvider: string;
  roles: string[];
}

interface Claim {
  typ: string;
  val: string;
}

/**
 * Reads the principal App Service Authentication puts in `x-ms-client-principal` (base64 JSON
 * with `auth_typ`, `claims`, `name_typ`, `role_typ`). Returns undefined when the header is
 * missing, and throws for a header that is not a well-formed principal (a damaged one). The header
 * is only trustworthy behind App Service Authentication, which replaces whatever a caller sent;
 * the HTTP entry point refuses to serve the API unless that is known to be on.
 */
export function readClientPrincipal(header: string | null | undefined): ClientPrincipal | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  let parsed: { auth_typ?: unknown; claims?: unknown; name_typ?: unknown; role_typ?: unknown };
  try {
    if (!/^[A-Za-z0-9+/=_-]+$/.test(header.trim())) throw new Error('not base64');
    parsed = JSON.parse(Buffer.from(header.trim(), 'base64').toString('utf8')) as typeof parsed;
  } catch {
    throw new TypeError('x-ms-client-principal is not base64-encoded JSON');
  }
  if (typeof parsed.auth_typ !== 'string' || parsed.auth_typ === '' || !Array.isArray(parsed.claims)) {
    throw new TypeError('x-ms-client-principal has no auth_typ or claims');
  }
  const claims = parsed.claims.filter(
    (claim): claim is Claim =>
      typeof (claim as Claim)?.typ === 'string' && typeof (claim as Claim)?.val === 'string',
  );
  const nameType = typeof parsed.name_typ === 'string' ? parsed.name_typ : 'name';
  // Roles are the Entra ID app roles, always in "roles" claims: the header's own role_typ is never
  // used, so no claim type named by the header can grant a role.
  const roles = claims.filter((claim) => claim.typ === ROLE_CLAIM_TYPE).map((claim) => claim.val);
  const name = claims.find((claim) => claim.typ === nameType)?.val ?? '';
  return { name, identityProvider: parsed.auth_typ, roles: [...new Set(roles)] };
}

/** Admins can do everything readers can. */
export function hasRole(principal: ClientPrincipal, role: (typeof ROLES)[keyof typeof ROLES]): boolean {
  return principal.roles.includes(role) || (role === ROLES.reader && principal.roles.includes(ROLES.admin));
}
