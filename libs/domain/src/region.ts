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

/** The city (prefecture) a division code belongs to, or null for the province itself or an unknown code. */
export function cityOf(code: string): string | null {
  const city = `${code.slice(0, 4)}00`;
  return ANHUI_CITIES[city] ? city : null;
}

/** A 6-digit code of the province, one of its cities, or a county-level division inside one of its cities. */
export function isProvinceRegion(code: string): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  return code === PROVINCE_CODE || cityOf(code) !== null;
}
