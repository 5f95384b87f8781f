import type { Status } from '../../catalog/types.js';
import { STATUS_COLOURS } from '../statusColours.js';
import { markup, type SafeHtml } from './htmlTemplate.js';

/** The status word on its status colours (inline, so e-mail clients that drop <style> keep it). */
export function statusBadge(status: Status): SafeHtml {
  const { text, fill } = STATUS_COLOURS[status];
  return markup`<span class="status" style="color:#${text};background:#${fill}">${status}</span>`;
}
