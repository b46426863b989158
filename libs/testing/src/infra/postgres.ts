import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { DATABASE_NAMES, type DatabaseName } from '@clinic/contracts';
import { lastOutputLine, run, runsAsRoot } from './exec';
import { APT_OPTIONS, runRetrying } from './retry';
import {
  HOST,
  InfraError,
  lastLogLine,
  pidAlive,
  portOpen,
  readState,
  seconds,
  updateState,
  type InfraConfig,
  type PostgresState,
} from './state';

export const PG_USER = 'clinic';
const PG_PASSWORD = 'clinic';

export function databaseUrls(port: number): Record<DatabaseName, string> {
  return Object.fromEntries(
    DATABASE_NAMES.map((name) => [name, `postgresql://${PG_USER}:${PG_PASSWORD}@${HOST}:${port}/${name}`]),
  ) as Record<DatabaseName, string>;
}

interface PostgresInstall {
  binDir: string;
  version: string;
}

/** Debian puts each major version in /usr/lib/postgresql/<major>/bin; take the newest. */
function findInstall(): PostgresInstall | null {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((version) => fs.existsSync(path.join(root, version, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const version = versions[0];
  return version ? { binDir: path.join(root, version, 'bin'), version } : null;
}

async function ensureInstalled(config: InfraConfig): Promise<PostgresInstall> {
  const found = findInstall();
  if (found) return found;
  if (!runsAsRoot()) {
    throw new InfraError(
      'PostgreSQL is not installed and only root can install it: apt-get install postgresql',
    );
  }
  config.log('postgres: installing the Debian package postgresql with apt-get …');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const logFile = path.join(config.dataDir, 'logs', 'apt.log');
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'postgresql']]) {
    const result = await runRetrying(
      'apt-get',
      [...APT_OPTIONS, ...args],
      { env, logFile },
      {
        what: `postgres: apt-get ${args[0]}`,
        log: config.log,
      },
    );
    if (result.code !== 0) {
      throw new InfraError(
        `apt-get ${args[0]} failed ${result.attempts} times: ${lastOutputLine(result.output)} (see ${logFile})`,
      );
    }
  }
  const installed = findInstall();
  if (!installed) throw new InfraError('apt-get installed postgresql but /usr/lib/postgresql/*/bin is empty');
  return installed;
}

/**
 * The cluster folder goes under the data folder when the postgres user can reach it (every parent
 * searchable), otherwise under /tmp, because the server runs as that user, never as root.
 */
async function chooseDataFolder(config: InfraConfig): Promise<string> {
  const wanted = path.join(config.dataDir, 'postgres');
  if (!runsAsRoot()) return wanted;
  const reachable = await run('test', ['-x', config.dataDir, '-a', '-r', config.dataDir], {
    asPostgres: true,
  });
  if (reachable.code === 0) return wanted;
  const hash = crypto.createHash('sha1').update(config.dataDir).digest('hex').slice(0, 8);
  const fallback = path.join(os.tmpdir(), `clinic-infra-${hash}`, 'postgres');
  config.log(`postgres: the postgres user cannot reach ${config.dataDir}; using ${fallback} instead`);
  return fallback;
}

/** Files the server writes must belong to the user it runs as. */
function giveToPostgres(target: string): void {
  if (!runsAsRoot()) return;
  const pwd = fs.readFileSync('/etc/passwd', 'utf8').match(/^postgres:[^:]*:(\d+):(\d+):/m);
  if (!pwd?.[1] || !pwd[2]) throw new InfraError('there is no postgres OS user (is postgresql installed?)');
  fs.chownSync(target, Number(pwd[1]), Number(pwd[2]));
}

async function initCluster(config: InfraConfig, install: PostgresInstall, pgData: string): Promise<void> {
  config.log(`postgres: initdb in ${pgData} …`);
  fs.mkdirSync(path.dirname(pgData), { recursive: true });
  fs.mkdirSync(pgData, { recursive: true, mode: 0o700 });
  giveToPostgres(pgData);
  const logFile = path.join(config.dataDir, 'logs', 'initdb.log');
  const result = await run(
    path.join(install.binDir, 'initdb'),
    ['-D', pgData, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale'],
    { asPostgres: true, logFile },
  );
  if (result.code !== 0) throw new InfraError(`initdb failed: ${lastOutputLine(result.output)}`);
  // Trust, but only over the socket (inside the 0700 data folder) and from 127.0.0.1.
  fs.writeFileSync(
    path.join(pgData, 'pg_hba.conf'),
    ['local all all trust', `host all all ${HOST}/32 trust`, ''].join('\n'),
  );
  // Test data is thrown away, so durability is traded for speed; five services each keep a pool.
  fs.appendFileSync(
    path.join(pgData, 'postgresql.conf'),
    [
      '',
      '# libs/testing/src/infra/postgres.ts',
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      'max_connections = 200',
      '',
    ].join('\n'),
  );
}

function postmasterPid(pgData: string): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(pgData, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 && pidAlive(pid) ? pid : null;
  } catch {
    return null;
  }
}

async function psql(install: PostgresInstall, port: number, database: string, sql: string): Promise<string> {
  const args = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', HOST, '-p', String(port), '-U', 'postgres'];
  const result = await run(path.join(install.binDir, 'psql'), [...args, '-d', database, '-tAc', sql]);
  if (result.code !== 0)
    throw new InfraError(`psql failed on port ${port}: ${lastOutputLine(result.output)}`);
  return result.output;
}

/** The `clinic` role and the five databases, created only when missing. */
async function provision(config: InfraConfig, install: PostgresInstall, port: number): Promise<void> {
  await psql(
    install,
    port,
    'postgres',
    `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${PG_USER}') THEN ` +
      `CREATE ROLE ${PG_USER} LOGIN SUPERUSER PASSWORD '${PG_PASSWORD}'; END IF; END $$;`,
  );
  const existing = new Set(
    (await psql(install, port, 'postgres', 'SELECT datname FROM pg_database')).split('\n'),
  );
  const missing = DATABASE_NAMES.filter((name) => !existing.has(name));
  for (const name of missing)
    await psql(install, port, 'postgres', `CREATE DATABASE ${name} OWNER ${PG_USER}`);
  if (missing.length > 0) config.log(`postgres: created databases ${missing.join(', ')}`);
}

export async function startPostgres(config: InfraConfig): Promise<PostgresState> {
  const started = Date.now();
  const recorded = readState(config).postgres;
  if (recorded && (await postgresRunning(recorded))) {
    const note = recorded.port === config.pgPort ? '' : ` (not ${config.pgPort}: run down first to change)`;
    config.log(`postgres: already running on ${HOST}:${recorded.port}${note}, pid ${recorded.pid}`);
    return recorded;
  }

  const install = await ensureInstalled(config);
  const pgData = recorded?.pgData ?? (await chooseDataFolder(config));
  if (!fs.existsSync(path.join(pgData, 'PG_VERSION'))) {
    await initCluster(config, install, pgData);
  } else {
    const dataVersion = fs.readFileSync(path.join(pgData, 'PG_VERSION'), 'utf8').trim();
    if (dataVersion !== install.version) {
      throw new InfraError(
        `${pgData} holds a PostgreSQL ${dataVersion} cluster but ${install.version} is installed; remove it`,
      );
    }
  }

  const logFile = path.join(path.dirname(pgData), 'postgres.log');
  let pid = postmasterPid(pgData);
  if (pid === null) {
    if (await portOpen(config.pgPort)) {
      throw new InfraError(
        `PostgreSQL did not start on ${HOST}:${config.pgPort}: the port is taken by another process (try --pg-port)`,
      );
    }
    // The socket sits in the data folder unless its path would pass the 107-byte limit.
    const socketDir = `${pgData}/.s.PGSQL.${config.pgPort}`.length < 100 ? pgData : os.tmpdir();
    const serverOptions = `-c port=${config.pgPort} -c listen_addresses=${HOST} -c unix_socket_directories=${socketDir}`;
    config.log(`postgres: starting on ${HOST}:${config.pgPort} …`);
    if (!fs.existsSync(logFile)) fs.writeFileSync(logFile, '');
    giveToPostgres(logFile);
    const pgCtl = path.join(install.binDir, 'pg_ctl');
    const result = await run(
      pgCtl,
      ['-D', pgData, '-l', logFile, '-w', '-t', '60', '-o', serverOptions, 'start'],
      { asPostgres: true },
    );
    pid = postmasterPid(pgData);
    if (result.code !== 0 || pid === null) {
      throw new InfraError(`PostgreSQL did not start on ${HOST}:${config.pgPort}: ${lastLogLine(logFile)}`);
    }
  }
  const port = postmasterPort(pgData) ?? config.pgPort;
  const state: PostgresState = { pid, port, pgData, logFile, version: install.version };
  updateState(config, (current) => {
    current.postgres = state;
  });
  await provision(config, install, port);
  config.log(`postgres: ready on ${HOST}:${port} (${seconds(started)})`);
  return state;
}

/** Line 4 of postmaster.pid is the port the running server listens on. */
function postmasterPort(pgData: string): number | null {
  try {
    const port = Number(fs.readFileSync(path.join(pgData, 'postmaster.pid'), 'utf8').split('\n')[3]);
    return Number.isInteger(port) && port > 0 ? port : null;
  } catch {
    return null;
  }
}

/** Stops only the cluster recorded in the state file. */
export async function stopPostgres(config: InfraConfig): Promise<void> {
  const recorded = readState(config).postgres;
  if (!recorded) {
    config.log('postgres: not started by infra, nothing to stop');
    return;
  }
  const started = Date.now();
  if (postmasterPid(recorded.pgData) !== null) {
    const install = findInstall();
    const pgCtl = install ? path.join(install.binDir, 'pg_ctl') : 'pg_ctl';
    const result = await run(pgCtl, ['-D', recorded.pgData, '-m', 'fast', '-w', '-t', '60', 'stop'], {
      asPostgres: true,
    });
    if (result.code !== 0) throw new InfraError(`pg_ctl stop failed: ${lastOutputLine(result.output)}`);
    config.log(`postgres: stopped (${seconds(started)})`);
  } else {
    config.log('postgres: was not running');
  }
  updateState(config, (current) => {
    delete current.postgres;
  });
}

export async function postgresRunning(recorded: PostgresState | undefined): Promise<boolean> {
  return !!recorded && postmasterPid(recorded.pgData) !== null && (await portOpen(recorded.port));
}
