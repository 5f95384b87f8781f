/** The report's only stylesheet, inlined: system fonts, no external resources, print-friendly. */
export const REPORT_CSS = `
body{margin:0;padding:0;background:#ffffff;color:#1a1a1a;font-family:"Segoe UI",Helvetica,Arial,sans-serif;font-size:15px;line-height:1.45}
.container{max-width:980px;margin:0 auto;padding:16px 20px 32px}
h1{font-size:26px;color:#1f4e78;margin:8px 0 4px}
h2{font-size:21px;color:#1f4e78;border-bottom:2px solid #1f4e78;padding-bottom:4px;margin:32px 0 12px}
h3{font-size:17px;color:#1a1a1a;margin:22px 0 8px}
p{margin:6px 0}
a{color:#0b5cad}
.muted{color:#595959}
.truncated{color:#595959;font-style:italic}
table{border-collapse:collapse;width:100%;margin:8px 0 16px}
caption{text-align:left;font-weight:bold;padding:4px 0;color:#1a1a1a}
th,td{border:1px solid #bfbfbf;padding:4px 6px;vertical-align:top;text-align:left}
thead th{background:#1f4e78;color:#ffffff}
tbody th{font-weight:600}
tbody tr:nth-child(even) td,tbody tr:nth-child(even) th{background:#f3f6f9}
.num{text-align:right;white-space:nowrap}
.nowrap{white-space:nowrap}
table.compact{width:auto;min-width:360px}
table.layout,table.layout td{border:none;background:none;width:auto}
.score-cell{padding:0 32px 0 0}
.score-label{font-weight:bold;margin:0}
.score{font-size:40px;font-weight:bold;color:#1f4e78;margin:0}
.status{display:inline-block;padding:1px 6px;border-radius:3px;font-weight:bold;font-size:13px;white-space:nowrap}
.warning{border:2px solid #9c0006;background:#fff2f2;padding:8px 12px;margin:12px 0}
.ok{border-left:4px solid #006100;padding:4px 10px;background:#f0f8f0}
figure{margin:8px 0}
svg.chart{max-width:100%;height:auto}
footer{margin-top:32px;border-top:1px solid #bfbfbf;padding-top:8px;font-size:13px;color:#595959;word-break:break-all}
@media print{h2{break-after:avoid}table{break-inside:auto}tr{break-inside:avoid}}
`;
