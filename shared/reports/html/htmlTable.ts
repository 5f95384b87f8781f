import { html, type HtmlValue, type SafeHtml } from './htmlTemplate.js';

export interface HeaderCell {
  label: HtmlValue;
  numeric?: boolean;
}

export interface TableSpec {
  caption: HtmlValue;
  headers: readonly HeaderCell[];
  /** Cells per row; the first cell of each row is its row header (`<th scope="row">`). */
  rows: ReadonlyArray<readonly HtmlValue[]>;
  id?: string;
}

/** An accessible data table: caption, column headers with scope, the first column as row headers. */
export function dataTable(spec: TableSpec): SafeHtml {
  const headerCells = spec.headers.map(
    (header) => html`<th scope="col" ${header.numeric ? html` class="num"` : ''}>${header.label}</th>`,
  );
  const bodyRows = spec.rows.map((row) => {
    const cells = row.map((cell, index) => {
      const numeric = spec.headers[index]?.numeric === true;
      const attributes = numeric ? html` class="num"` : '';
      return index === 0
        ? html`<th scope="row" ${attributes}>${cell}</th>`
        : html`<td${attributes}>${cell}</td>`;
    });
    return html`<tr>
      ${cells}
    </tr> `;
  });
  return html`<table${spec.id ? html` id="${spec.id}"` : ''}>
<caption>${spec.caption}</caption>
<thead><tr>${headerCells}</tr></thead>
<tbody>
${bodyRows}</tbody>
</table>
`;
}
