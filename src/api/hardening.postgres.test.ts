// The same suite on the PostgreSQL server store (127.0.0.1:5432, database `test`, a schema of its own).
process.env['OBSERVA_TEST_STORE'] = 'postgres';
await import('./hardening.test.js');
