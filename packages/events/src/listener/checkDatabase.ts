import { InvalidArgumentError, type RedisConnection, type RedisIndexedSessionRepository } from '@lapse/repository';

/**
 * Refuses to start on a connection that is not on the repository's database (a client whose
 * `SELECT` failed carries on, on database 0): rejects with the repository's `WrongDatabaseError`
 * naming both (its own check, made once per repository), before anything is read or subscribed. A `reader` given in the options must be on that
 * database too ({@link InvalidArgumentError} otherwise).
 */
export async function checkDatabase(repository: RedisIndexedSessionRepository, reader: RedisConnection | null): Promise<void> {
  await repository.checkDatabase();
  const database = repository.options.database;
  if (reader !== null) {
    const readerDatabase = await reader.currentDatabase();
    if (readerDatabase !== database) {
      throw new InvalidArgumentError('reader', `must be on the repository's database ${database}, but is on database ${readerDatabase}`);
    }
  }
}
