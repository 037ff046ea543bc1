import { InvalidArgumentError, type RedisConnection } from '@lapse/repository';

/**
 * Refuses to start on a connection that is not on the database it was asked for (a client
 * whose `SELECT` failed carries on, on database 0): `connection` must really be on its
 * requested database, and `reader` (a client given for blocking reads) on that same database.
 */
export async function checkDatabase(connection: RedisConnection, reader: RedisConnection | null): Promise<void> {
  const requested = connection.requestedDatabase;
  const actual = await connection.currentDatabase();
  if (actual !== requested) {
    throw new InvalidArgumentError('repository', `its Redis connection is on database ${actual}, not on database ${requested} as requested: cannot select database ${requested}`);
  }
  if (reader !== null) {
    const readerDatabase = await reader.currentDatabase();
    if (readerDatabase !== requested) {
      throw new InvalidArgumentError('reader', `must be on the repository's database ${requested}, but is on database ${readerDatabase}`);
    }
  }
}
