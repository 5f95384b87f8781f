import type { Status } from '../catalog/types.js';

/**
 * Text and fill colour per status (hex RRGGBB), shared by the workbook and the HTML report. Each
 * pair has a contrast ratio of at least 4.5:1 (WCAG AA); the status word is always shown too.
 */
export const STATUS_COLOURS: Record<Status, { text: string; fill: string }> = {
  PASS: { text: '006100', fill: 'C6EFCE' },
  FAIL: { text: '9C0006', fill: 'FFC7CE' },
  MANUAL: { text: '7A4500', fill: 'FFEB9C' },
  NOT_APPLICABLE: { text: '404040', fill: 'E7E6E6' },
  ERROR: { text: '5B2C6F', fill: 'E4DFEC' },
};
