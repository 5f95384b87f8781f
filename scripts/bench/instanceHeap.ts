/**
 * The V8 old space a Functions invocation gets, in MiB: a quarter of the instance's memory, which is
 * what V8 sizes its heap to on a machine of that size (infra/main.bicep: `instanceMemoryMB: 2048`).
 * The app sets it explicitly (`languageWorkers__node__arguments` in infra/main.bicep), so an
 * instance collects garbage at the same point whatever host it lands on, and the benchmark runs each
 * invocation's process with the same limit: its peak RSS is then what an instance would see, not
 * what V8 allows itself on a benchmark machine with several times the memory.
 * test/bench/instanceHeap.test.ts checks the two agree.
 */
export const INSTANCE_OLD_SPACE_MIB = 512;

export const INSTANCE_NODE_ARGUMENTS = [`--max-old-space-size=${INSTANCE_OLD_SPACE_MIB}`];
