/** The roles of shared/API.md (Access); the api_keys table checks the same list. */
export const ROLES = ['broker', 'compliance', 'dashboard', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who sent a request: the holder of the API key it carried. */
export interface Principal {
  readonly principalId: string;
  readonly role: Role;
}

/** The principal the start-up installs LEDGER_ADMIN_KEY for. */
export const BOOTSTRAP_ADMIN_PRINCIPAL_ID = 'admin';

/** Principal ids name people and systems in events too: short, and safe in logs and URLs. */
export const PRINCIPAL_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}$/;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
