import { readFileSync } from 'node:fs';
import { CpuProfile, ProfileLine, summarize } from './summarize';

const USAGE = `usage: node dist/tools/cpu-profile/cli.js <file.cpuprofile> [--from <s>] [--to <s>] [--top <n>] [--per <count>] [--inclusive <fn,fn,…>] [--callers <fn,fn,…>]
  Sums a CPU profile (JRP_BENCH_CPU_PROFILE, node --cpu-prof) by function and by module (self time),
  within a window in seconds from the profile's start; --per divides the busy time by a count (entries,
  requests) to print ms each; --inclusive adds the time of the named functions with their callees;
  --callers splits the self time of the named functions by their first caller outside node (writev by pg, kafkajs …).
  Prints the busy ms of every second first, to choose the window.`;

function main(args: string[]): void {
  const file = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
  if (!file || args.includes('--help')) {
    console.log(USAGE);
    process.exit(file ? 0 : 2);
  }
  const flag = (name: string) => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const number = (name: string) => (flag(name) === undefined ? undefined : Number(flag(name)));
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const per = number('per');
  const summary = summarize(profile, {
    from: number('from'),
    to: number('to'),
    top: number('top'),
    inclusive: flag('inclusive')?.split(','),
    callers: flag('callers')?.split(','),
  });
  console.log(`busy ms per second: ${summary.perSecond.join(' ')}`);
  console.log(
    `window ${summary.from}–${Math.round(summary.to)} s: busy ${summary.busyMs} ms, idle ${summary.idleMs} ms` +
      (per ? `; busy ${(summary.busyMs / per).toFixed(2)} ms per 1 of ${per}` : ''),
  );
  const print = (title: string, lines: ProfileLine[]) => {
    if (lines.length === 0) return;
    console.log(`\n${title}`);
    for (const l of lines)
      console.log(
        `${l.ms.toFixed(0).padStart(8)} ms ${l.share.toFixed(1).padStart(5)} %` +
          (per ? ` ${((l.ms / per) * 1000).toFixed(0).padStart(6)} µs each` : '') +
          `  ${l.name}`,
      );
  };
  print('by module (self)', summary.modules);
  print('by function (self)', summary.functions);
  print('inclusive', summary.inclusive);
  print('callers', summary.callers);
}

main(process.argv.slice(2));
