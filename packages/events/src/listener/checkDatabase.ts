import { InvalidArgumentError, type RedisConnection, WrongDatabaseError } from '@lapse/repository';

/**
 * Refuses to start on a connection that is not on the repository's database (a client whose
 * `SELECT` failed carries on, on database 0): rejects with {@link WrongDatabaseError} naming
 * both, before anything is read or subscribed. A `reader` given in the options must be on that
 * database too ({@link InvalidArgumentError} otherwise).
 */
export async function checkDatabase(database: number, connection: RedisConnection, reader: RedisConnection | null): Promise<void> {
  const actual = await connection.currentDatabase();
  if (actual !== database) throw new WrongDatabaseError(database, actual);
  if (reader !== null) {
    const readerDatabase = await reader.currentDatabase();
    if (readerDatabase !== database) {
      throw new InvalidArgumentError('reader', `must be on the repository's database ${database}, but is on database ${readerDatabase}`);
    }
  }
}
