// The README's configuration table lists every setting src/config.ts reads, each once, and no
// other; where a setting has a default, the one the table gives is the same value.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envSchema } from '../src/config.ts';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const SETTINGS = Object.keys(envSchema.shape) as Array<keyof typeof envSchema.shape>;

/** The rows of the first table after "## Configuration": the variables of the first cell, and the default cell. */
function configurationRows(): Array<{ names: string[]; defaultCell: string }> {
  const section = README.split(/^## Configuration$/m)[1]?.split(/^## /m)[0] ?? '';
  const table = section.split('\n').filter((line) => line.startsWith('| `'));
  return table.map((line) => {
    const [first = '', defaultCell = ''] = line.split(' | ');
    return { names: [...first.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!), defaultCell };
  });
}

describe('README configuration table', () => {
  const rows = configurationRows();
  const listed = rows.flatMap((row) => row.names);

  it('lists every setting of src/config.ts exactly once, and nothing else', () => {
    expect(SETTINGS.length).toBeGreaterThan(50);
    expect(SETTINGS.filter((name) => !listed.includes(name)), 'missing from the table').toEqual([]);
    expect(listed.filter((name, i) => listed.indexOf(name) !== i), 'listed twice').toEqual([]);
    expect(listed.filter((name) => !(SETTINGS as string[]).includes(name)), 'not read by src/config.ts').toEqual([]);
  });

  it("gives each setting's default as src/config.ts has it", () => {
    for (const { names, defaultCell } of rows) {
      for (const name of names as Array<keyof typeof envSchema.shape>) {
        const setting = envSchema.shape[name];
        const unset = setting.parse(undefined);
        if (unset === undefined) continue;
        // The table's default, set explicitly, must come out as the default does.
        const written = /^`([^`]+)`/.exec(defaultCell)?.[1];
        expect(written, `${name}: the default cell starts with the value in backticks`).toBeDefined();
        expect(setting.parse(written), `${name} default`).toEqual(unset);
      }
    }
  });
});
