/**
 * Runs Azurite in a process of its own (in memory, free ports) and prints its connection string as
 * one JSON line on stdout; stops on SIGTERM or SIGINT. Used by benchmarks so that the storage
 * emulator does not share an event loop with the code being measured.
 */
import { startLocalAzurite } from '../cli/localAzurite.js';

const azurite = await startLocalAzurite();
process.stdout.write(`${JSON.stringify({ connectionString: azurite.connectionString })}\n`);
const stop = (): void => {
  void azurite.stop().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
