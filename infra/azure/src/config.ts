// One stack per environment: Pulumi.<stack>.yaml holds the sizing; secrets are stack secrets
// (pulumi config set --secret), never in the file in clear.
import type { Input } from '@pulumi/pulumi';
import type { DeployableName } from './deployables.js';
import type { Environment } from './tags.js';

export interface AppSizing {
  cpu: number;
  memory: string;
  minReplicas: number;
  maxReplicas: number;
}

export interface Sizing {
  apps: Record<DeployableName, AppSizing>;
  /** Consumer lag per replica at which KEDA adds a replica. */
  lagThreshold: number;
  postgres: { sku: string; tier: 'Burstable' | 'GeneralPurpose' | 'MemoryOptimized'; storageGb: number; highAvailability: boolean; backupRetentionDays: number; geoRedundantBackup: boolean };
  redis: { sku: string; highAvailability: boolean };
  eventHubs: { capacity: number; partitions: number; retentionHours: number };
  storageSku: 'Standard_GRS' | 'Standard_GZRS' | 'Standard_RAGRS' | 'Standard_RAGZRS';
  backupShareGb: number;
  logRetentionDays: number;
  registrySku: 'Basic' | 'Standard' | 'Premium';
  zoneRedundant: boolean;
}

export interface StackSecrets {
  postgresAdminPassword: Input<string>;
  pseudonymKey: Input<string>;
  bootstrapApiKey: Input<string>;
  gdprAuditSigningSeed: Input<string>;
  perfSecretKey: Input<string>;
  drSourceKey: Input<string>;
  consoleSessionSecret: Input<string>;
}

export interface StackConfig {
  environment: Environment;
  location: string;
  /** Image tag the apps are created with; the pipelines own the image afterwards. */
  imageTag: string;
  /** false on the very first `pulumi up`, before any image is in the registry. */
  deployApps: boolean;
  publicUrl?: string;
  sizing: Sizing;
  secrets: StackSecrets;
}
