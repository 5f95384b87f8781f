import { processIo } from './commandIo.js';
import { runScanCommand } from './runScanCommand.js';

process.exitCode = await runScanCommand(process.argv.slice(2), processIo());
