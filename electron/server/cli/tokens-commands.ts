import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { Role } from '../../contracts';
import { call, withEngine } from './engine-helper';

interface Flags {
  data?: string;
  json?: boolean;
}

function parseRole(value: string): Role {
  const role = Role.safeParse(value);
  if (!role.success) throw new InvalidArgumentError(`use ${Role.options.join(', ')}`);
  return role.data;
}

/** `parley tokens create|list|revoke`: REST API tokens, as the local admin (audited as from `cli`). */
export function registerTokensCommands(program: Command): void {
  const tokens = program.command('tokens').description('REST API tokens for other systems (see /api/v1/openapi.json)');
  const common = (command: Command) => command.option('--data <dir>', 'data folder (database, logs, models)').option('--json', 'print JSON instead of text');

  common(tokens.command('create').description('make a token; its secret is printed once').argument('<name>'))
    .requiredOption('--role <role>', 'admin | manager | supervisor | viewer', parseRole)
    .option('--campaigns <ids>', 'comma-separated campaign ids a supervisor-level token may touch', (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean), [])
    .action((name: string, flags: Flags & { role: Role; campaigns: string[] }) =>
      withEngine(flags.data, async (engine) => {
        const made = await call(engine, 'apiTokens.create', { name, role: flags.role, campaignIds: flags.campaigns });
        if (flags.json) return console.log(JSON.stringify(made));
        console.log(`Token "${made.token.name}" (${made.token.role}), id ${made.token.id}. Its secret, shown only now:\n${made.secret}`);
      }),
    );

  common(tokens.command('list').description('tokens, without their secrets')).action((flags: Flags) =>
    withEngine(flags.data, async (engine) => {
      const list = await call(engine, 'apiTokens.list', {});
      if (flags.json) return console.log(JSON.stringify(list));
      for (const t of list) console.log(`${t.id}  ${t.name.padEnd(24)} ${t.role.padEnd(10)} ${t.revokedAt ? 'revoked' : t.lastUsedAt ? `last used ${new Date(t.lastUsedAt).toISOString()}` : 'never used'}`);
    }),
  );

  common(tokens.command('revoke').description('revoke a token at once').argument('<id>')).action((id: string, flags: Flags) =>
    withEngine(flags.data, async (engine) => {
      const revoked = await call(engine, 'apiTokens.revoke', { id });
      if (flags.json) return console.log(JSON.stringify(revoked));
      console.log(`Revoked "${revoked.name}".`);
    }),
  );
}
