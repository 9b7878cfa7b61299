// Creates an embedded database directory (PGlite's initdb) and exits. openDatabase runs this in
// a short-lived process of its own: the memory initdb takes (about 450 MB) is never given back
// by the process that ran it, while reopening the created directory costs a fraction of it.
import { PGlite } from '@electric-sql/pglite';

const dir = process.argv[2];
if (!dir) throw new Error('usage: pglite-init <data directory>');
const lite = await PGlite.create(dir);
await lite.close();
