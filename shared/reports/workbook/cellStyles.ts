import type { Fill, Font, Style } from 'exceljs';

import { STATUSES } from '../../catalog/types.js';
import { STATUS_COLOURS } from '../statusColours.js';
import type { ConditionalFormattingRule } from 'exceljs';

export const DATE_FORMAT = 'yyyy-mm-dd hh:mm:ss';
export const PERCENT_FORMAT = '0.0%';
export const INTEGER_FORMAT = '#,##0';

export const HEADER_FONT: Partial<Font> = { bold: true, color: { argb: 'FFFFFFFF' } };
export const HEADER_FILL: Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F4E78' } };
export const TITLE_FONT: Partial<Font> = { bold: true, size: 14, color: { argb: 'FF1F4E78' } };
export const SECTION_FONT: Partial<Font> = { bold: true, size: 12, color: { argb: 'FF1F4E78' } };
export const NOTE_FONT: Partial<Font> = { italic: true, color: { argb: 'FF404040' } };

export const HEADER_STYLE: Partial<Style> = {
  font: HEADER_FONT,
  fill: HEADER_FILL,
  alignment: { vertical: 'top', wrapText: true },
};

/** One conditional-formatting rule per status: the cell's fill and font take the status colours. */
export function statusRules(): ConditionalFormattingRule[] {
  return STATUSES.map((status, index) => ({
    type: 'cellIs',
    operator: 'equal',
    formulae: [`"${status}"`],
    priority: index + 1,
    style: {
      font: { color: { argb: `FF${STATUS_COLOURS[status].text}` } },
      fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: `FF${STATUS_COLOURS[status].fill}` } },
    },
  }));
}
