export { buildReportHtml, writeReport, type ReportOptions, type WrittenReport } from './report.js';
