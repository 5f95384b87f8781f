/**
 * What each receiver accepts, and the caps every piece of text gets on its way there. Sizes are
 * UTF-8 bytes of the serialised payload; field lengths are counted as the receiver counts them
 * (UTF-16 units for Jira and ServiceNow, which are Java platforms). See docs/payload-limits.md.
 */
export const PAYLOAD_LIMITS = {
  teams: {
    /** Teams refuses a webhook message above 28 KB; this leaves room below both 28,000 and 28,672. */
    bodyBytes: 27_000,
    detailRows: 10,
  },
  jira: {
    /** "summary: Summary must be less than 255 characters." */
    summary: 255,
    /** A Jira text field (description, comment body) holds at most 32,767 characters. */
    document: 32_767,
  },
  serviceNow: {
    /** `incident.short_description` max_length 160. */
    shortDescription: 160,
    /** `task.description`, `work_notes`, `close_notes`: 4,000 (the dictionary's max_length). */
    description: 4_000,
    journal: 4_000,
  },
  email: {
    /** A subject stays one short line (RFC 5322 lines are at most 998 characters). */
    subject: 255,
    /** The plain-text (and mirrored HTML) body of an event e-mail. */
    textChars: 60_000,
    /** What the caps above keep a composed event e-mail under (MIME encoding included). */
    messageBytes: 1024 * 1024,
  },
  webhook: {
    /** Default of NOTIFICATIONS_WEBHOOK_MAX_BODY_KB. */
    defaultBodyBytes: 256 * 1024,
  },
  /** Caps of the pieces every destination shows (code points). */
  text: {
    title: 250,
    factValue: 300,
    reason: 2_000,
    remediation: 1_000,
    evidenceLine: 500,
    gapLine: 300,
    headline: 400,
  },
} as const;
