import { processIo } from './commandIo.js';
import { runReportCommand } from './runReportCommand.js';

process.exitCode = await runReportCommand(process.argv.slice(2), processIo());
