/** The largest JSON body each endpoint accepts; the rest get DEFAULT_BODY_LIMIT. Larger bodies: 413. */
export const DEFAULT_BODY_LIMIT = '256kb';

export const BODY_LIMITS: Readonly<Record<string, string>> = {
  // up to 10,000 entries of about 1 KB
  '/api/v1/lists/entries/batch': '16mb',
  // batch comparison: up to 10,000 subjects of about 100 bytes
  '/api/v1/checks/batch': '4mb',
};
