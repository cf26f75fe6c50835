export { startEcsSimulator } from './simulator.js';
export type * from './types.js';
