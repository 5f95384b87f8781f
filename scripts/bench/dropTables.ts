import { TableServiceClient } from '@azure/data-tables';

/**
 * Deletes the tables whose names start with `prefix` from the benchmark's Azurite, once the phase
 * that wrote them is measured. Azurite keeps every entity in memory, so without this each phase
 * would run against the entities of all the phases before it (over 4 GiB of emulator memory per
 * million entities), slower with each phase and, at 50,000 clusters, beyond the machine's memory.
 */
export async function dropTables(connectionString: string, prefix: string): Promise<void> {
  const service = TableServiceClient.fromConnectionString(connectionString, {
    allowInsecureConnection: true,
  });
  const names: string[] = [];
  for await (const table of service.listTables()) {
    if (table.name?.toLowerCase().startsWith(prefix.toLowerCase())) names.push(table.name);
  }
  for (const name of names) await service.deleteTable(name);
}
