/** Runs close() then exits on SIGTERM or SIGINT: the runner stops every process with SIGTERM. */
export function onStop(close) {
  const stop = () =>
    Promise.resolve()
      .then(close)
      .catch((error) => console.error(error))
      .finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
