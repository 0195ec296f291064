import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { Password, Role, Username, type UserView, ParleyError } from '../../contracts';
import type { Engine } from '../../engine';
import { call, withEngine } from './engine-helper';
import { readSecret } from './read-secret';

interface Flags {
  data?: string;
  json?: boolean;
  passwordStdin?: boolean;
}

/**
 * `parley users add|list|remove|passwd`: local accounts in the data folder. Runs as the local admin (whoever
 * can open the data folder owns it); every change is in the audit log as from `cli`.
 */
export function registerUsersCommands(program: Command): void {
  const users = program.command('users').description('add, list and remove accounts, set passwords');
  const common = (command: Command) => command.option('--data <dir>', 'data folder (database, logs, models)').option('--json', 'print JSON instead of text');
  const passwordOption = (command: Command) => command.option('--password-stdin', 'read the password from standard input (first line) instead of asking');

  passwordOption(
    common(users.command('add').description('add an account').argument('<username>'))
      .requiredOption('--role <role>', 'admin | manager | supervisor | viewer', parseRole)
      .option('--campaigns <ids>', 'comma-separated campaign ids a supervisor may watch', (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean), []),
  ).action(async (username: string, flags: Flags & { role: Role; campaigns: string[] }) => {
    const name = Username.parse(username);
    const password = await passwordFrom(flags);
    await withEngine(flags.data, async (engine) => {
      const user = await call(engine, 'users.add', { username: name, password, role: flags.role, campaignIds: flags.campaigns });
      print(flags, user, `Added ${user.username} (${user.role}).`);
    });
  });

  common(users.command('list').description('accounts with their roles')).action((flags: Flags) =>
    withEngine(flags.data, async (engine) => {
      const list = await call(engine, 'users.list', {});
      if (flags.json) return console.log(JSON.stringify(list));
      for (const u of list) {
        const scope = u.role === 'supervisor' ? `  campaigns: ${u.campaignIds.join(', ') || 'none'}` : '';
        console.log(`${u.username.padEnd(24)} ${u.role.padEnd(10)} ${u.hasPassword ? '' : '(no password) '}${u.lockedUntil ? `(locked until ${u.lockedUntil}) ` : ''}${scope}`);
      }
    }),
  );

  common(users.command('remove').description('remove an account (signs it out everywhere)').argument('<username>')).action((username: string, flags: Flags) =>
    withEngine(flags.data, async (engine) => {
      const user = await requireUser(engine, username);
      await call(engine, 'users.remove', { id: user.id });
      print(flags, { id: user.id }, `Removed ${user.username}.`);
    }),
  );

  passwordOption(common(users.command('passwd').description('set an account password (signs it out everywhere)').argument('<username>'))).action(
    async (username: string, flags: Flags) => {
      const password = await passwordFrom(flags);
      await withEngine(flags.data, async (engine) => {
        const user = await requireUser(engine, username);
        const updated = await call(engine, 'users.setPassword', { id: user.id, password });
        print(flags, updated, `Password set for ${updated.username}.`);
      });
    },
  );
}

async function passwordFrom(flags: Flags): Promise<string> {
  const password = await readSecret('Password: ', flags.passwordStdin === true);
  const parsed = Password.safeParse(password);
  if (!parsed.success) throw new ParleyError('invalid_payload', parsed.error.issues[0]?.message ?? 'Invalid password');
  return parsed.data;
}

async function requireUser(engine: Engine, username: string): Promise<UserView> {
  const user = (await call(engine, 'users.list', {})).find((u) => u.username === username);
  if (!user) throw new ParleyError('not_found', `No user named ${username}`);
  return user;
}

function print(flags: Flags, value: unknown, text: string): void {
  console.log(flags.json ? JSON.stringify(value) : text);
}

function parseRole(value: string): Role {
  const parsed = Role.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError('must be admin, manager, supervisor or viewer');
  return parsed.data;
}
