import type { Role } from '#read-models';

/** The roles, the admin principal and the principal id pattern are libs/read-models' (api-keys.ts): the CLI issues keys too. */
export { BOOTSTRAP_ADMIN_PRINCIPAL_ID, PRINCIPAL_ID_PATTERN, ROLES, isRole, type Role } from '#read-models';

/** Who sent a request: the holder of the API key it carried. */
export interface Principal {
  readonly principalId: string;
  readonly role: Role;
}
