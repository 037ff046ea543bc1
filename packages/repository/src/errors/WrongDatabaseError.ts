import { LapseError } from './LapseError.js';

/**
 * The repository's connection is not on the database it was asked to use (for example
 * ioredis, whose `SELECT 99` failed with `ERR DB index is out of range`, carries on on database
 * 0). Every call of the repository rejects with it, and nothing is read, written or deleted.
 */
export class WrongDatabaseError extends LapseError {
  /** The database asked for (the `database` option, else the client's own). */
  readonly requestedDatabase: number;
  /** The database the connection is really on (`CLIENT INFO`). */
  readonly actualDatabase: number;

  constructor(requestedDatabase: number, actualDatabase: number) {
    super(
      'ERR_LAPSE_WRONG_DATABASE',
      `cannot select database ${requestedDatabase} (the connection is on database ${actualDatabase}; a client whose SELECT failed, e.g. with "ERR DB index is out of range", stays on another): lapse reads, writes and deletes nothing there. Check the database number in the Redis URL or options, and Redis's "databases" setting`,
    );
    this.requestedDatabase = requestedDatabase;
    this.actualDatabase = actualDatabase;
  }
}
