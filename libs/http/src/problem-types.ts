/**
 * The kinds of error answer (RFC 9457 problem types) every jrp service gives: a stable `code` a program
 * switches on, its `type` URI (`/api/docs/problems/<code>`, served by every service and documented in
 * docs/problems.md), its HTTP status, and a summary in Chinese and English. A thrower picks a kind by
 * putting `code` in its exception body; otherwise the status picks the kind (see {@link problemCodeOf}).
 */
export const PROBLEM_TYPES = {
  validation: { status: 400, zh: '请求内容不合法', en: 'The request is not valid' },
  'malformed-body': { status: 400, zh: '请求体不是合法的 JSON', en: 'The request body is not valid JSON' },
  unauthenticated: {
    status: 401,
    zh: '未认证（令牌缺失、无效、过期或已吊销）',
    en: 'Not authenticated: the token is missing, invalid, expired or revoked',
  },
  forbidden: { status: 403, zh: '无权执行此操作', en: 'The caller may not do this' },
  'not-found': {
    status: 404,
    zh: '资源不存在或不在调用方可见范围内',
    en: 'No such resource within the caller’s reach',
  },
  'conflict/state': {
    status: 409,
    zh: '当前状态不允许此操作',
    en: 'The resource’s current state does not allow this',
  },
  'conflict/removal-limit': {
    status: 409,
    zh: '全量推送将移出的条目超过上限，未做任何更改',
    en: 'The full push would remove more entries than its limit allows: nothing was changed',
  },
  'conflict/in-progress': {
    status: 409,
    zh: '使用同一幂等键的请求仍在处理中',
    en: 'A request with the same Idempotency-Key is still being processed',
  },
  'idempotency-key-reused': {
    status: 422,
    zh: '该幂等键已用于另一个不同的请求',
    en: 'This Idempotency-Key was used for a different request',
  },
  'payload-too-large': { status: 413, zh: '请求体或文件过大', en: 'The request body or file is too large' },
  'unsupported-media-type': {
    status: 415,
    zh: '不支持的内容类型或编码',
    en: 'The content type or encoding is not supported',
  },
  'rate-limited': { status: 429, zh: '请求过于频繁或并发过多，请稍后重试', en: 'Too many requests: retry later' },
  internal: { status: 500, zh: '服务器内部错误', en: 'An unexpected error occurred' },
  unavailable: { status: 503, zh: '服务暂不可用，请稍后重试', en: 'The service is unavailable for now: retry later' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ProblemCode = keyof typeof PROBLEM_TYPES;

/** Where a problem type is documented: a URI reference resolved against the API's own origin. */
export const PROBLEM_TYPE_BASE = '/api/docs/problems/';

export const problemTypeUri = (code: ProblemCode) => `${PROBLEM_TYPE_BASE}${code}`;

const isProblemCode = (code: unknown): code is ProblemCode => typeof code === 'string' && code in PROBLEM_TYPES;

/** The kind of an error answer: the code its thrower named, else the one of its status. */
export function problemCodeOf(status: number, named?: unknown): ProblemCode {
  if (isProblemCode(named) && PROBLEM_TYPES[named].status === status) return named;
  switch (status) {
    case 400:
      return 'validation';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not-found';
    case 409:
      return 'conflict/state';
    case 413:
      return 'payload-too-large';
    case 415:
      return 'unsupported-media-type';
    case 422:
      return 'idempotency-key-reused';
    case 429:
      return 'rate-limited';
    case 503:
      return 'unavailable';
    default:
      return status >= 500 ? 'internal' : status === 400 ? 'validation' : 'conflict/state';
  }
}

/** The main language of an answer: English when `Accept-Language` prefers it, else Chinese. */
export function answerLanguage(acceptLanguage: string | undefined): 'zh' | 'en' {
  if (!acceptLanguage) return 'zh';
  const ranked = acceptLanguage
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
      return { tag: tag.trim(), q: q ? Number(q[1]) : 1, i };
    })
    .filter((l) => l.tag && l.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'zh';
}

const CJK = /[\u3400-\u9fff]/;

export interface ProblemText {
  title: string;
  detail: string;
  /** The other language's text, alongside (`detailEn` when Chinese is the main one, `detailZh` otherwise). */
  alongside: { detailEn: string } | { detailZh: string };
}

/**
 * The title and detail of an answer in its main language, the other alongside. A detail written in
 * Chinese (or carrying Chinese, as import reasons do) serves as the Chinese text; an English-only
 * detail is the English text, and the Chinese one is the kind's summary followed by it.
 */
export function problemText(code: ProblemCode, detail: string, language: 'zh' | 'en'): ProblemText {
  const kind = PROBLEM_TYPES[code];
  const zh = CJK.test(detail) ? detail : `${kind.zh}：${detail}`;
  const en = detail;
  return language === 'zh'
    ? { title: kind.zh, detail: zh, alongside: { detailEn: en } }
    : { title: kind.en, detail: en, alongside: { detailZh: zh } };
}
