import { idNumberCheckCharacter, usccCheckCharacter } from '@jrp/domain';

/** A valid 统一社会信用代码 numbered `n` (Hefei, enterprise). */
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

export function makeUscc(n: number): string {
  let serial = '';
  for (let i = 0, v = n; i < 7; i++, v = Math.floor(v / 31)) serial = USCC_ALPHABET[v % 31] + serial;
  const first17 = `91340100MA${serial}`;
  return first17 + usccCheckCharacter(first17);
}

/** A valid 居民身份证号 numbered `n` (Hefei, born 1980-01-01). */
export function makeIdNumber(n: number): string {
  const first17 = `34010219800101${String(n % 1000).padStart(3, '0')}`;
  return first17 + idNumberCheckCharacter(first17);
}
