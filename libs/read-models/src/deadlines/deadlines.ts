/** The deadlines read model (shared/DOMAIN.md, "Expiry enforcement"): the projection, the due-deadline reader and the enforcer's leadership. */
export { DEADLINES, DEADLINES_TABLES, deadlinesProjection } from './deadlines-projection.js';
export { advisoryLeadership, postgresDueDeadlines, type AdvisoryLeadership, type DueDeadlineCursor, type DueDeadlineReader, type DueDeadlineRow } from './due-deadlines.js';
