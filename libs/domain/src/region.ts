import { ANHUI_DIVISIONS } from './anhui-divisions';

/** 行政区划代码 of Anhui province and its 16 prefecture-level cities. */
export const PROVINCE_CODE = '340000';

export const ANHUI_CITIES: Readonly<Record<string, string>> = {
  '340100': '合肥市',
  '340200': '芜湖市',
  '340300': '蚌埠市',
  '340400': '淮南市',
  '340500': '马鞍山市',
  '340600': '淮北市',
  '340700': '铜陵市',
  '340800': '安庆市',
  '341000': '黄山市',
  '341100': '滁州市',
  '341200': '阜阳市',
  '341300': '宿州市',
  '341500': '六安市',
  '341600': '亳州市',
  '341700': '池州市',
  '341800': '宣城市',
};

function division(code: string): { name: string; city: string | null } | undefined {
  if (typeof code !== 'string' || !Object.prototype.hasOwnProperty.call(ANHUI_DIVISIONS, code)) return undefined;
  return ANHUI_DIVISIONS[code];
}

/**
 * The prefecture-level city a division code belongs to (a city is its own city), or null for the
 * province itself and for codes that are not real divisions of Anhui (see anhui-divisions.ts).
 */
export function cityOf(code: string): string | null {
  return division(code)?.city ?? null;
}

/** The province, one of its 16 cities, or one of its real county-level divisions (区/县/县级市). */
export function isProvinceRegion(code: string): boolean {
  return division(code) !== undefined;
}

/** The name of a division of Anhui ('340104' → '蜀山区'), or null when the code is not one. */
export function regionName(code: string): string | null {
  return division(code)?.name ?? null;
}
