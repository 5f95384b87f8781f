import { markup, type HtmlValue, type SafeHtml } from './htmlTemplate.js';

export interface HeaderCell {
  label: HtmlValue;
  numeric?: boolean;
  /** Keep the column's values on one line (short codes such as kinds and severities). */
  nowrap?: boolean;
}

export interface TableSpec {
  caption: HtmlValue;
  headers: readonly HeaderCell[];
  /** Cells per row; the first cell of each row is its row header (`<th scope="row">`). */
  rows: ReadonlyArray<readonly HtmlValue[]>;
  id?: string;
  /** Size the table to its content instead of the full width. */
  compact?: boolean;
}

function classOf(header: HeaderCell | undefined): HtmlValue {
  const names = [header?.numeric ? 'num' : '', header?.nowrap ? 'nowrap' : ''].filter(Boolean).join(' ');
  return names ? markup` class="${names}"` : '';
}

/** An accessible data table: caption, column headers with scope, the first column as row headers. */
export function dataTable(spec: TableSpec): SafeHtml {
  const headerCells = spec.headers.map(
    (header) => markup`<th scope="col"${classOf(header)}>${header.label}</th>`,
  );
  const bodyRows = spec.rows.map((row) => {
    const cells = row.map((cell, index) => {
      const attributes = classOf(spec.headers[index]);
      return index === 0
        ? markup`<th scope="row"${attributes}>${cell}</th>`
        : markup`<td${attributes}>${cell}</td>`;
    });
    return markup`<tr>${cells}</tr>\n`;
  });
  return markup`<table${spec.id ? markup` id="${spec.id}"` : ''}${spec.compact ? markup` class="compact"` : ''}>
<caption>${spec.caption}</caption>
<thead><tr>${headerCells}</tr></thead>
<tbody>
${bodyRows}</tbody>
</table>
`;
}
