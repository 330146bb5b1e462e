/** The largest JSON body each endpoint accepts; the rest get DEFAULT_BODY_LIMIT. Larger bodies: 413. */
export const DEFAULT_BODY_LIMIT = '256kb';

export const BODY_LIMITS: Readonly<Record<string, string>> = {
  // Bulk endpoints get their own limits here as they arrive.
};
