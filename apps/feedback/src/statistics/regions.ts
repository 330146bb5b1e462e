/** The prefecture-level city (地级市) of a 6-digit division code: 340102 → 340100; the province 340000 stays itself. */
export const cityOf = (region: string): string => `${region.slice(0, 4)}00`;
