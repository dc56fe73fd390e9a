/**
 * Runs a pytest module of test/grpc/python against a gRPC server and reads its JUnit XML
 * report, so a vitest test can fail naming each failing Python case.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** One pytest case as the JUnit report gives it. */
export interface PytestCase {
  /** The case's name, with its parameters (`test_get_types[artifact]`). */
  name: string;
  outcome: 'passed' | 'failed' | 'skipped';
  /** The failure's or the skip's message, for a case that did not pass. */
  message?: string;
}

export interface PytestRun {
  cases: PytestCase[];
  /** pytest's exit status (0 all passed, 1 some failed, 5 nothing collected). */
  status: number;
  /** pytest's own output, for a run that ended without a report. */
  output: string;
}

/**
 * Runs test/grpc/python/`module` with the virtualenv's `python` against the MLMD_HOST and
 * MLMD_PORT of `server`. Asynchronous:
 * the server answers from this process.
 */
export async function runPytest(python: string, module: string, server: { host: string; port: number }): Promise<PytestRun> {
  const folder = await mkdtemp(path.join(tmpdir(), 'journey-pytest-'));
  const report = path.join(folder, 'report.xml');
  const args = ['-m', 'pytest', '-p', 'no:cacheprovider', '-q', `--junitxml=${report}`, path.join(here, 'python', module)];
  try {
    const { status, output } = await new Promise<{ status: number; output: string }>((resolve) => {
      execFile(python, args, {
        maxBuffer: 64 << 20,
        // Run from the module's folder, so pytest's rootdir is that folder and reads no other project's set-up.
        cwd: path.join(here, 'python'),
        env: { ...process.env, MLMD_HOST: server.host, MLMD_PORT: String(server.port), GRPC_VERBOSITY: 'ERROR', TF_CPP_MIN_LOG_LEVEL: '3' },
      }, (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ status: code, output: `${stdout}${stderr}` });
      });
    });
    let xml = '';
    try {
      xml = await readFile(report, 'utf8');
    } catch {
      // No report: pytest stopped before running anything; `output` says why.
    }
    return { cases: parseJunit(xml), status, output };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** The cases of a pytest JUnit XML report (pytest writes one <testcase> per case, flat). */
export function parseJunit(xml: string): PytestCase[] {
  const cases: PytestCase[] = [];
  for (const match of xml.matchAll(/<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const attributes = match[1] ?? '';
    const body = match[2] ?? '';
    const name = unescapeXml(/\bname="([^"]*)"/.exec(attributes)?.[1] ?? '?');
    const problem = /<(failure|error|skipped)\b([^>]*)/.exec(body);
    if (problem === null) {
      cases.push({ name, outcome: 'passed' });
      continue;
    }
    const message = unescapeXml(/\bmessage="([^"]*)"/.exec(problem[2] ?? '')?.[1] ?? '');
    cases.push({ name, outcome: problem[1] === 'skipped' ? 'skipped' : 'failed', message });
  }
  return cases;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&amp;/g, '&');
}
