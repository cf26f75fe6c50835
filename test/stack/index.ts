export { awsEnv } from './aws-env.js';
export { createDistribution } from './cloudfront.js';
export { type Fauxqs, startFauxqs } from './fauxqs.js';
export { type Moto, startMoto } from './moto.js';
export { freePort, requireTool } from './process.js';
export { MOTO_ECR_PASSWORD, MOTO_ECR_USER, type Registry, startRegistry } from './registry.js';
