// Writes a new migration for one context from the difference between its ORM entities and
// its database (both as built): `npm run migration:generate:users -- AddPhoneNumber`.
// Review the file, then list the class in libs/<context>/src/infrastructure/<context>.schema.ts.
import { execFileSync } from 'node:child_process';

const [context, name] = process.argv.slice(2);
if (!context || !name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
  console.error('usage: npm run migration:generate:<context> -- <PascalCaseName>');
  process.exit(2);
}
execFileSync('node', ['scripts/build.mjs', context], { stdio: 'inherit' });
try {
  execFileSync(
    'node_modules/.bin/typeorm',
    [
      'migration:generate',
      `libs/${context}/src/infrastructure/migrations/${name}`,
      '-d',
      `dist/apps/${context}/libs/${context}/src/infrastructure/${context}.data-source.js`,
      '--pretty',
    ],
    { stdio: 'inherit' },
  );
} catch {
  process.exit(1); // typeorm has said why
}
console.log(`now review it and add it to libs/${context}/src/infrastructure/${context}.schema.ts`);
