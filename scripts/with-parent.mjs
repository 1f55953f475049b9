// Runs a command as a child and ends it when the given parent process is gone, so that a test run
// that is killed (or crashes) never leaves its Azurite behind.
// Usage: node scripts/with-parent.mjs <parentPid> <command> [args...]
import { spawn } from 'node:child_process';

const [parentArg, command, ...args] = process.argv.slice(2);
const parent = Number.parseInt(parentArg, 10);
if (!Number.isInteger(parent) || !command) {
  console.error('usage: node scripts/with-parent.mjs <parentPid> <command> [args...]');
  process.exit(2);
}

const child = spawn(command, args, { stdio: 'inherit' });
const stop = () => { if (child.exitCode === null) child.kill('SIGTERM'); };
const parentAlive = () => { try { process.kill(parent, 0); return true; } catch { return false; } };

// Once the parent is gone, the child gets SIGTERM, then SIGKILL if it is still there 5 s later, and this
// watcher ends either way: a child that ignores the signal or was never reaped must not keep it alive.
const giveUp = () => {
  stop();
  setTimeout(() => {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
    process.exit(1);
  }, 5000);
};
const timer = setInterval(() => { if (!parentAlive()) { clearInterval(timer); giveUp(); } }, 500);
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, giveUp);
child.on('exit', (code, signal) => { clearInterval(timer); process.exit(code ?? (signal ? 1 : 0)); });
