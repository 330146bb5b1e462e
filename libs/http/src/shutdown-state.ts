/**
 * Whether this process is shutting down (set on SIGTERM/SIGINT by `closeOnSignals`): answers then
 * close their connections, and `/health/ready` says so.
 */
export const ShutdownState = { stopping: false };
