import * as v from 'valibot';
import { issueMessage } from '#shared/api/problem';
import { NewUserSchema, ROLES } from '#shared/auth/user.schema';
import { audit } from '../../db/audit';
import { hashPassword } from '../../auth/password';
import { passwordProblem } from '../../auth/password-policy';
import { insertUser, isUniqueViolation, toUser } from '../../auth/users.repo';
import {
  parseCommandArgs,
  printJson,
  usageError,
  withDb,
  EXIT_FAILURE,
  EXIT_OK,
  type Command,
} from '../command';

/** `quita user add`: create a user from the command line. */
export const userAddCommand: Command = {
  name: 'user add',
  summary: 'create a user (owner, staff or collector)',
  help: `Usage: quita user add --email EMAIL --name NAME --role ROLE --password PASSWORD

Creates a user and prints it as JSON. ROLE is one of: ${ROLES.join(', ')}.
The password needs at least 10 characters and must not be weak or common (checked by a
realistic strength estimator; the reason is printed).
Exit codes: 0 created, 1 a user with this email already exists, 2 bad or missing option.
`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      password: { type: 'string' },
    });
    if (values.help) {
      io.stdout(this.help);
      return EXIT_OK;
    }
    for (const flag of ['email', 'name', 'role', 'password'] as const)
      if (values[flag] === undefined) throw usageError(`falta --${flag}`);
    const parsed = v.safeParse(NewUserSchema, {
      email: values.email,
      name: values.name,
      role: values.role,
      password: values.password,
    });
    if (!parsed.success) {
      const issue = parsed.issues[0];
      throw usageError(`--${v.getDotPath(issue) ?? 'input'}: ${issueMessage(issue)}`);
    }
    const input = parsed.output;
    const weak = passwordProblem(input.password, [input.name, input.email]);
    if (weak !== null) throw usageError(`--password: ${weak}`);
    const passwordHash = await hashPassword(input.password);
    return withDb(io, async (db) => {
      try {
        const row = await db.transaction(async (tx) => {
          const user = await insertUser(tx, { ...input, passwordHash });
          await audit(tx, {
            actor: null,
            action: 'user.create',
            entity: 'user',
            entityId: user.id,
            detail: { email: user.email, name: user.name, role: user.role, source: 'cli' },
          });
          return user;
        });
        printJson(io, toUser(row));
        return EXIT_OK;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        io.stderr(`quita user add: já existe um usuário com o e-mail ${input.email}\n`);
        return EXIT_FAILURE;
      }
    });
  },
};
