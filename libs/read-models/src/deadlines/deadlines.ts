/** The deadlines read model (shared/DOMAIN.md, "Expiry enforcement"): its rows (written by the stream views), the due-deadline reader and the enforcer's leadership. */
export { DeadlineChanges, deadlineRowsOf } from './deadline-rows.js';
export { advisoryLeadership, postgresDueDeadlines, type AdvisoryLeadership, type DueDeadlineCursor, type DueDeadlineReader, type DueDeadlineRow } from './due-deadlines.js';
