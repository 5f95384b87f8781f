import { stat } from 'node:fs/promises';
import { basename } from 'node:path';

import { escapeHtml } from '../reports/escapeHtml.js';
import type { NotificationSettings } from './notificationSettings.js';
import { systemResolver, type Resolver } from './outboundGuard.js';
import type { SecretSource } from '../config/secretSource.js';
import { sendSmtpMail, type OutgoingMail } from './smtpTransport.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The numbers the subject states. */
export interface ReportEmailSummary {
  /** 0–1. */
  score: number;
  previousScore: number | null;
  /**
   * 0–1: the score after exceptions and attestations, from runs that applied governance; shown
   * beside the observed score. Absent (or null) for runs without governance.
   */
  effectiveScore?: number | null;
  newlyFailing: number;
  resolved: number;
  complete: boolean;
}

/** What the report e-mail carries. */
export interface ReportEmailContent {
  /** The HTML report, sent as the body. */
  html: string;
  /** The workbook: a file or its bytes. */
  workbook?: { path: string; filename?: string } | { content: Buffer; filename?: string };
  /** Where the workbook can be downloaded (https); used when it is too large to attach. */
  workbookUrl?: string;
  summary: ReportEmailSummary;
}

/** What the SMTP server accepted, and what became of the workbook. */
export interface ReportEmailResult {
  messageId: string;
  subject: string;
  /** `linked`/`omitted`: the workbook was larger than `REPORT_EMAIL_MAX_ATTACHMENT_MB`. */
  workbook: 'attached' | 'linked' | 'omitted' | 'none';
  accepted: string[];
  rejected: string[];
}

function percent(score: number): string {
  return `${(score * 100).toFixed(1)}%`;
}

/** The effective score when the run has one (a finite 0–1 number), else undefined. */
function effectiveOf(summary: ReportEmailSummary): number | undefined {
  const value = summary.effectiveScore;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1 ? value : undefined;
}

/**
 * "Compliance 72.4% (+1.3) — 6 newly failing, 4 resolved" (change in percentage points); with
 * governance "Compliance 72.4% (+1.3), effective 80.1% — …" (observed first, then effective).
 */
export function reportSubject(summary: ReportEmailSummary): string {
  const effective = effectiveOf(summary);
  const score = `${percent(summary.score)}`;
  let change = '';
  if (summary.previousScore !== null) {
    const points = Math.round((summary.score - summary.previousScore) * 1000) / 10;
    change = ` (${points > 0 ? '+' : points < 0 ? '-' : '±'}${Math.abs(points).toFixed(1)})`;
  }
  const partial = summary.complete ? '' : ' (partial run)';
  const counts = `${summary.newlyFailing} newly failing, ${summary.resolved} resolved`;
  const side = effective === undefined ? '' : `, effective ${percent(effective)}`;
  return `Compliance ${score}${change}${side} — ${counts}${partial}`;
}

/** The observed and effective scores side by side, as an HTML table and as text lines. */
export function scoreComparison(summary: ReportEmailSummary): { html: string; text: string[] } | undefined {
  const effective = effectiveOf(summary);
  if (effective === undefined) return undefined;
  const observed = percent(summary.score);
  const cell = 'style="padding:4px 12px;border:1px solid #ccc"';
  return {
    html:
      `<table style="border-collapse:collapse;margin:8px 0"><tr><th ${cell}>Observed score</th>` +
      `<th ${cell}>Effective score</th></tr><tr><td ${cell}>${observed}</td><td ${cell}>${percent(effective)}</td></tr></table>` +
      '<p style="margin:0 0 8px">Observed: what Azure showed. Effective: after approved exceptions ' +
      '(accepted risks leave the score) and attestations.</p>',
    text: [
      `Observed score: ${observed}`,
      `Effective score: ${percent(effective)} (after exceptions and attestations)`,
    ],
  };
}

function atBodyStart(html: string, block: string): string {
  const body = /<body[^>]*>/i.exec(html);
  if (!body) return `${block}${html}`;
  const at = body.index + body[0].length;
  return `${html.slice(0, at)}${block}${html.slice(at)}`;
}

function withNotice(html: string, notice: string): string {
  return atBodyStart(html, `<p style="padding:8px;border:1px solid #ccc">${notice}</p>`);
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Sends the scheduled report e-mail over SMTP to `REPORT_EMAIL_TO`: the HTML report as the body,
 * the workbook attached — or, above `REPORT_EMAIL_MAX_ATTACHMENT_MB`, linked (when `workbookUrl`
 * is an https URL) — and a subject stating the score and the change.
 */
export async function sendReportEmail(
  settings: NotificationSettings,
  secrets: SecretSource,
  content: ReportEmailContent,
  options: { resolve?: Resolver } = {},
): Promise<ReportEmailResult> {
  const { smtp, reportEmail } = settings;
  if (!smtp || !reportEmail)
    throw new Error('the report e-mail needs SMTP_HOST, REPORT_EMAIL_FROM and REPORT_EMAIL_TO');
  const subject = reportSubject(content.summary);
  const scores = scoreComparison(content.summary);
  let html = scores ? atBodyStart(content.html, scores.html) : content.html;
  const attachments: NonNullable<OutgoingMail['attachments']> = [];
  let workbook: ReportEmailResult['workbook'] = 'none';
  if (content.workbook) {
    const size =
      'path' in content.workbook ? (await stat(content.workbook.path)).size : content.workbook.content.length;
    const filename =
      content.workbook.filename ??
      ('path' in content.workbook ? basename(content.workbook.path) : 'compliance-report.xlsx');
    if (size <= reportEmail.maxAttachmentBytes) {
      attachments.push(
        'path' in content.workbook
          ? { filename, contentType: XLSX, path: content.workbook.path }
          : { filename, contentType: XLSX, content: content.workbook.content },
      );
      workbook = 'attached';
    } else {
      const limit = megabytes(reportEmail.maxAttachmentBytes);
      const url =
        content.workbookUrl && /^https:\/\//i.test(content.workbookUrl) ? content.workbookUrl : undefined;
      html = withNotice(
        html,
        url
          ? `The workbook (${megabytes(size)}) is larger than the ${limit} attachment limit: ` +
              `<a href="${escapeHtml(url)}">download ${escapeHtml(filename)}</a>.`
          : `The workbook (${megabytes(size)}) is larger than the ${limit} attachment limit ` +
              'and is not attached.',
      );
      workbook = url ? 'linked' : 'omitted';
    }
  }
  const text = [
    subject,
    '',
    ...(scores ? [...scores.text, ''] : []),
    'The report is in the HTML part of this message.',
    ...(workbook === 'linked' && content.workbookUrl ? [`Workbook: ${content.workbookUrl}`] : []),
  ].join('\n');
  const policy = {
    allowHttpLoopback: settings.outbound.allowHttpLoopback,
    allowedHosts: new Set(settings.outbound.allowedHosts),
    resolve: options.resolve ?? systemResolver,
  };
  const sent = await sendSmtpMail(smtp, secrets, policy, {
    to: reportEmail.to,
    subject,
    html,
    text,
    attachments,
  });
  return { ...sent, subject, workbook };
}
