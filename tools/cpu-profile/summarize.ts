/** A V8 CPU profile as `node --cpu-prof` writes it (`.cpuprofile`); times in microseconds. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** One line of a summary: a function or a module, its self time and share of the busy time. */
export interface ProfileLine {
  name: string;
  ms: number;
  /** Share of the busy time (every sample but `(idle)`), in per cent. */
  share: number;
}

export interface ProfileSummary {
  /** The window summarised, in seconds from the profile's start. */
  from: number;
  to: number;
  busyMs: number;
  idleMs: number;
  /** Self time by function (`name (file:line)`), largest first. */
  functions: ProfileLine[];
  /** Self time by module: a package of node_modules, a folder of the project, node's internals, or V8's own entries. */
  modules: ProfileLine[];
  /** Time including callees, for each function named in `inclusive` (by its name), largest first. */
  inclusive: ProfileLine[];
  /**
   * For the functions named in `callers`, their self time by the first caller outside node and V8 (the
   * library or code that asked for it: `writev` by `pg`, `kafkajs` or `node:_http_outgoing`'s caller).
   */
  callers: ProfileLine[];
  /** Busy ms in each second of the profile (the whole profile, to choose a window). */
  perSecond: number[];
}

const V8_ENTRIES = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/**
 * The module a frame belongs to: its package under node_modules (the last one, `@scope/name` kept),
 * `node:<area>` for node's own code, the project's folder for its own code (`libs/http`,
 * `apps/measures/tasks`), or the V8 entry itself (`(garbage collector)`, `(program)`).
 */
export function moduleOf(url: string, functionName: string): string {
  if (V8_ENTRIES.has(functionName)) return functionName;
  if (!url) return '(native)';
  const packages = url.split('/node_modules/');
  if (packages.length > 1) {
    const [first, second] = packages[packages.length - 1].split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[1] ?? url.slice(5)}`;
  const project = /\/(apps|libs|tools|bench)\/([^/]+)\/src\/([^/]+)\//.exec(url);
  if (project) return project[1] === 'apps' ? `apps/${project[2]}/${project[3]}` : `${project[1]}/${project[2]}`;
  const own = /\/(apps|libs|tools|bench)\/([^/]+)\//.exec(url);
  if (own) return `${own[1]}/${own[2]}`;
  return url.replace(/^file:\/\//, '');
}

/** A frame's name in a summary: its function, file and line. */
function frameName(frame: CpuProfile['nodes'][number]['callFrame']): string {
  if (V8_ENTRIES.has(frame.functionName)) return frame.functionName;
  const file = frame.url.replace(/^.*\/node_modules\//, '').replace(/^.*\/dist\//, '');
  return `${frame.functionName || '(anonymous)'} (${file || 'native'}:${frame.lineNumber + 1})`;
}

function lines(times: Map<string, number>, busyMs: number, top: number): ProfileLine[] {
  return [...times]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({
      name,
      ms: Math.round(us / 100) / 10,
      share: busyMs > 0 ? Math.round((us / 1000 / busyMs) * 1000) / 10 : 0,
    }));
}

/**
 * Sums a profile's samples by function and by module (self time: the frame on top of the stack when
 * sampled) within the window `from`–`to` (seconds from the profile's start), and for the functions named
 * in `inclusive` their time with their callees. Idle samples count apart, not in the shares.
 */
export function summarize(
  profile: CpuProfile,
  options: { from?: number; to?: number; top?: number; inclusive?: string[]; callers?: string[] } = {},
): ProfileSummary {
  const from = options.from ?? 0;
  const to = options.to ?? Infinity;
  const top = options.top ?? 30;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const wanted = new Set(options.inclusive ?? []);
  const functions = new Map<string, number>();
  const modules = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const asked = new Set(options.callers ?? []);
  const callers = new Map<string, number>();
  const perSecond: number[] = [];
  let busy = 0;
  let idle = 0;
  let at = 0; // µs from the profile's start
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    // a sample's time is the interval until the next one
    const delta = profile.timeDeltas[i + 1] ?? 0;
    const node = byId.get(profile.samples[i]);
    if (!node || delta <= 0) continue;
    const isIdle = node.callFrame.functionName === '(idle)';
    const second = Math.floor(at / 1e6);
    if (!isIdle) perSecond[second] = (perSecond[second] ?? 0) + delta / 1000;
    if (at < from * 1e6 || at >= to * 1e6) continue;
    if (isIdle) {
      idle += delta;
      continue;
    }
    busy += delta;
    const name = frameName(node.callFrame);
    functions.set(name, (functions.get(name) ?? 0) + delta);
    const module = moduleOf(node.callFrame.url, node.callFrame.functionName);
    modules.set(module, (modules.get(module) ?? 0) + delta);
    if (asked.has(node.callFrame.functionName)) {
      let caller = '(none)';
      for (let id = parent.get(node.id); id !== undefined; id = parent.get(id)) {
        const frame = byId.get(id)!.callFrame;
        const of = moduleOf(frame.url, frame.functionName);
        if (!of.startsWith('node:') && of !== '(native)' && !V8_ENTRIES.has(of)) {
          caller = `${node.callFrame.functionName} ← ${of}`;
          break;
        }
      }
      callers.set(caller, (callers.get(caller) ?? 0) + delta);
    }
    if (wanted.size === 0) continue;
    // each named function once per sample, however deep it recurses
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const fn = byId.get(id)!.callFrame.functionName;
      if (wanted.has(fn) && !seen.has(fn)) {
        seen.add(fn);
        inclusive.set(fn, (inclusive.get(fn) ?? 0) + delta);
      }
    }
  }
  const busyMs = busy / 1000;
  return {
    from,
    to: Math.min(to, (profile.endTime - profile.startTime) / 1e6),
    busyMs: Math.round(busyMs),
    idleMs: Math.round(idle / 1000),
    functions: lines(functions, busyMs, top),
    modules: lines(modules, busyMs, top),
    inclusive: lines(inclusive, busyMs, wanted.size),
    callers: lines(callers, busyMs, top),
    perSecond: Array.from(perSecond, (ms) => Math.round(ms ?? 0)),
  };
}
