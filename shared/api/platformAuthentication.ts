type Env = Readonly<Record<string, string | undefined>>;

/** The app setting that says how callers of the API are authenticated (the Bicep template sets it). */
export const API_AUTHENTICATION_SETTING = 'API_AUTHENTICATION';

/** The values of {@link API_AUTHENTICATION_SETTING}. */
export const API_AUTHENTICATION_MODES = {
  /** App Service Authentication (Entra ID) in front of the app; the deployed value. */
  platform: 'AppServiceAuthentication',
  /** No platform in front: `x-ms-client-principal` is taken as sent. Only off App Service. */
  localDevelopment: 'LocalDevelopment',
} as const;

export type ApiAuthentication =
  | { serve: true; mode: (typeof API_AUTHENTICATION_MODES)[keyof typeof API_AUTHENTICATION_MODES] }
  | { serve: false; reason: string };

/** Variables App Service sets on every instance; none of them is present on a developer's machine. */
const APP_SERVICE_MARKERS = ['WEBSITE_INSTANCE_ID', 'WEBSITE_SKU'] as const;

/**
 * Decides whether the API may be served. The caller's identity and roles come from the
 * `x-ms-client-principal` header, which only App Service Authentication can vouch for: anyone can
 * send that header to an app without it. So the API is served only when the setting says the
 * platform authenticates callers and the platform itself reports its authentication on
 * (`WEBSITE_AUTH_ENABLED`), or when local development was chosen explicitly on a machine that is
 * not App Service. Anything else — the setting missing, misspelt, or contradicted — refuses.
 */
export function apiAuthentication(env: Env): ApiAuthentication {
  const mode = env[API_AUTHENTICATION_SETTING]?.trim() ?? '';
  const onAppService = APP_SERVICE_MARKERS.some((name) => (env[name]?.trim() ?? '') !== '');
  if (mode === API_AUTHENTICATION_MODES.platform) {
    if ((env.WEBSITE_AUTH_ENABLED?.trim() ?? '').toLowerCase() !== 'true')
      return {
        serve: false,
        reason: `${API_AUTHENTICATION_SETTING} is ${mode}, but App Service does not report its authentication on (WEBSITE_AUTH_ENABLED is not True): enable App Service Authentication with requireAuthentication`,
      };
    return { serve: true, mode };
  }
  if (mode === API_AUTHENTICATION_MODES.localDevelopment) {
    if (onAppService)
      return {
        serve: false,
        reason: `${API_AUTHENTICATION_SETTING}=${mode} is refused on App Service: set it to ${API_AUTHENTICATION_MODES.platform} and enable App Service Authentication`,
      };
    return { serve: true, mode };
  }
  return {
    serve: false,
    reason:
      mode === ''
        ? `${API_AUTHENTICATION_SETTING} is not set: it must be ${API_AUTHENTICATION_MODES.platform} (deployed) or ${API_AUTHENTICATION_MODES.localDevelopment} (local development only)`
        : `${API_AUTHENTICATION_SETTING} must be ${API_AUTHENTICATION_MODES.platform} or ${API_AUTHENTICATION_MODES.localDevelopment}, got "${mode.slice(0, 60)}"`,
  };
}
