import { processIo } from './commandIo.js';
import { runGovernanceCommand } from './runGovernanceCommand.js';

process.exitCode = await runGovernanceCommand(process.argv.slice(2), processIo());
