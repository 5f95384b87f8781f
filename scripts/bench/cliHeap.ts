/**
 * The V8 old space the command line runs with, in MiB (package.json: the `scan`, `report` and
 * `demo` scripts). What a run keeps alive is bounded (one batch of inventory, the run's cluster
 * index and changes); left to its default, V8 sizes the heap from the machine's memory and lets
 * garbage build up to gigabytes on a large host before collecting it, so peak RSS would follow the
 * host rather than the run. The benchmark starts the CLI with the same limit, and
 * test/bench/cliHeap.test.ts checks the two agree.
 */
export const CLI_OLD_SPACE_MIB = 384;

export const CLI_NODE_ARGUMENTS = [`--max-old-space-size=${CLI_OLD_SPACE_MIB}`];
