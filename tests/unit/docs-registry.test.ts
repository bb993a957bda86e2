// Every resource and data source has a registry-layout page (docs/resources/<name>.md, docs/data-sources/<name>.md)
// with an example using it and every schema attribute listed, and every attribute has a description.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSchema, type SchemaDef } from '../../provider-shim/src/framework/schema';
import { provider } from '../../provider-shim/src/provider';

const DOCS = join(__dirname, '../../docs');

const pages = [
  ...provider.resources.map((r) => ({ kind: 'resource' as const, typeName: r.typeName, schema: r.schema as SchemaDef, file: join(DOCS, 'resources', `${r.typeName.replace(/^maestro_/, '')}.md`) })),
  ...provider.dataSources.map((d) => ({ kind: 'data' as const, typeName: d.typeName, schema: d.schema as SchemaDef, file: join(DOCS, 'data-sources', `${d.typeName.replace(/^maestro_/, '')}.md`) })),
];

describe.each(pages)('$kind $typeName', ({ kind, typeName, schema, file }) => {
  it('has a description on every attribute', () => {
    expect(checkSchema(typeName, schema)).toEqual([]);
  });

  it('has a registry-layout page with front matter, an example that uses it, and every attribute listed', () => {
    expect(existsSync(file)).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('---\npage_title:')).toBe(true);
    const example = /## Example Usage\s+```(?:terraform|hcl)\n([\s\S]*?)```/.exec(text);
    expect(example).not.toBeNull();
    expect(example![1]).toContain(`${kind} "${typeName}"`);
    const names = [...Object.keys(schema.attributes), ...Object.keys(schema.blocks ?? {})];
    const missing = names.filter((n) => !text.includes(`- \`${n}\``));
    expect(missing).toEqual([]);
  });
});
