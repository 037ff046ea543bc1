export { connectRedisClient } from './connectRedisClient.js';
export type { ExampleRedisClient } from './connectRedisClient.js';
