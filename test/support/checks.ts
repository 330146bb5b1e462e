/** A counter check's whole answer (`POST /api/v1/checks`) for a subject on no list, from memory or from the database alike. */
export const NOT_LISTED_ANSWER = {
  checkId: expect.any(String),
  listed: false,
  entries: [],
  measures: [],
  rewards: [],
  withheldFacilitations: [],
  taskIds: [],
  checkedAt: expect.any(String),
};
