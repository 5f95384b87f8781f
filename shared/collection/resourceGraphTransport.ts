import type { ResourceGraphClient } from '@azure/arm-resourcegraph';

export interface GraphRequest {
  subscriptions?: string[];
  managementGroups?: string[];
  query: string;
  top: number;
  skipToken?: string;
}

export interface GraphPage {
  data: unknown;
  skipToken: string | undefined;
  resultTruncated: boolean;
  header: (name: string) => string | undefined;
}

/** One Resource Graph request; the seam between the paging logic and the SDK. */
export interface ResourceGraphTransport {
  query(request: GraphRequest, signal: AbortSignal): Promise<GraphPage>;
}

/** The production transport: `@azure/arm-resourcegraph` with its own retries turned off. */
export function sdkResourceGraphTransport(client: ResourceGraphClient): ResourceGraphTransport {
  return {
    async query(request, signal) {
      let headers: { get(name: string): string | undefined } | undefined;
      const response = await client.resources(
        {
          subscriptions: request.subscriptions,
          managementGroups: request.managementGroups,
          query: request.query,
          options: { top: request.top, skipToken: request.skipToken, resultFormat: 'objectArray' },
        },
        { abortSignal: signal, onResponse: (raw) => (headers = raw.headers) },
      );
      return {
        data: response.data,
        skipToken: response.skipToken || undefined,
        resultTruncated: String(response.resultTruncated).toLowerCase() === 'true',
        header: (name) => headers?.get(name) ?? undefined,
      };
    },
  };
}
