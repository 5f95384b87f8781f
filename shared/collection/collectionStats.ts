/** Counters of one live collection, reported in findings.json (`run.stats`) and the summary. */
export interface CollectionStats {
  graphRequests: number;
  graphPages: number;
  graphRows: number;
  /** Responses that were 429. */
  throttledResponses: number;
  /** Time spent waiting because of 429s or an exhausted quota, milliseconds. */
  throttleWaitMs: number;
  /** Pauses taken before the quota ran out. */
  quotaPauses: number;
  retries: number;
  failedRequests: number;
  armRequests: number;
  armNotFound: number;
  subscriptions: number;
  batches: number;
  failedBatches: number;
}

export function emptyStats(): CollectionStats {
  return {
    graphRequests: 0,
    graphPages: 0,
    graphRows: 0,
    throttledResponses: 0,
    throttleWaitMs: 0,
    quotaPauses: 0,
    retries: 0,
    failedRequests: 0,
    armRequests: 0,
    armNotFound: 0,
    subscriptions: 0,
    batches: 0,
    failedBatches: 0,
  };
}
