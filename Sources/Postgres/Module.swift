// The PostgreSQL client: see PostgresConnection.
