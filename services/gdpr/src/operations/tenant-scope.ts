// Tenant-scoped transactions run as the RLS-bound role with app.tenant_id set (the kit's
// withTransaction `tenant` option), so a query that forgets its tenant filter still cannot see
// another tenant's rows. The role is created by migration 0003. Cross-tenant system work
// (the jobs) runs as the service login, without a scope.
import type { TenantScope, TransactionOptions } from '@vigil/service-kit';

export const TENANT_ROLE = 'vigil_gdpr_tenant';

export const tenantScope = (tenantId: string): TenantScope => ({ id: tenantId, role: TENANT_ROLE });

export const asTenant = (tenantId: string): TransactionOptions => ({ tenant: tenantScope(tenantId) });
