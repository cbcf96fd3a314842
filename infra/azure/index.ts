// Pulumi entry point: `pulumi up -s dev|staging|prod` (docs/deploy/azure.md).
import * as pulumi from '@pulumi/pulumi';
import { loadStackConfig } from './src/stack-config.js';
import { vigil } from './src/stack.js';

const { outputs } = vigil(loadStackConfig(new pulumi.Config('vigil'), new pulumi.Config('azure-native')));
export const { resourceGroup, acrName, acrLoginServer, keyVault, kafkaBootstrap, consoleUrl } = outputs;
