/** Why a spawned `redis-server` did not start; `addressInUse` when its port (or cluster bus port) was taken. */
export class StartError extends Error {
  constructor(
    message: string,
    readonly addressInUse: boolean,
  ) {
    super(message);
    this.name = 'RedisServerStartError';
  }
}
