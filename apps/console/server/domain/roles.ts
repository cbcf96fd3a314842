// Roles per tenant, in increasing power (the same three the services' API keys have).
export type Role = 'read' | 'write' | 'admin';

export const ROLES: readonly Role[] = ['read', 'write', 'admin'];
const RANK: Record<Role, number> = { read: 1, write: 2, admin: 3 };

export const atLeast = (role: Role, needed: Role) => RANK[role] >= RANK[needed];
