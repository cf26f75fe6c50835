// Preloaded into the action's process by the benchmark (NODE_OPTIONS=--import): prints its peak RSS at exit.
process.on('exit', () => {
  process.stderr.write(`BAEPO_MAX_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
