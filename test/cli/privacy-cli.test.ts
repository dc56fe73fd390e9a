/**
 * `journey subject` and `journey erasure` against a real server on every backend, over the
 * seeded TFX pipeline with raw-span-1 declared as holding contact and HEALTH data and one
 * subject registered on it (so the data reaches everything downstream: 18 artifacts, the 4
 * models among them). JSON outputs equal the GraphQL answers; a viewer key gets the one-line
 * FORBIDDEN naming the role; the identifier never shows in a message, the server's log or
 * its audit log, and `-` passes it on stdin.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { print } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ErasureRequestListDocument, ErasureRequestShowDocument, SubjectAccessReportDocument, SubjectLineageDocument,
} from '../../src/cli/generated/graphql.js';
import { BACKENDS } from '../support/backends.js';
import { useCliServer, type JourneyRun } from './cli-server-harness.js';

const SUBJECT = 'customer-4711';
const ROOT = path.resolve(import.meta.dirname, '../..');

/** Runs `journey` with `input` on its stdin (the harness's runner gives none). */
function journeyWithInput(args: readonly string[], input: string, env: Record<string, string>): Promise<JourneyRun> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/journey.js'), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The access report without the time it was made (Markdown's "Generated" line, JSON's generatedAt), which differs between two calls. */
const undated = (report: string): string =>
  report.replace(/^Generated .*$/m, 'Generated (time).').replace(/"generatedAt": "[^"]*"/, '"generatedAt": "(time)"').trimEnd();

describe.each(BACKENDS)('journey subject and erasure ($name)', (backend) => {
  const s = useCliServer(backend);
  const env = () => ({ JOURNEY_URL: s.t.url, JOURNEY_API_KEY: s.adminKey });

  beforeAll(async () => {
    await s.gql(`mutation($raw: ID!) { putArtifacts(artifacts: [{ id: $raw, type: "ExternalArtifact", personalData: { categories: ["contact"], specialCategories: [HEALTH] } }]) { id } }`, { raw: s.seed.raw });
    await s.gql('mutation($raw: ID!, $s: [String!]!) { registerDataSubjects(artifactId: $raw, subjectIds: $s) }', { raw: s.seed.raw, s: [SUBJECT] });
  });

  it('prints the subject\'s lineage as the server answers it, and the access report as the server writes it', async () => {
    const run = await s.journey(['subject', SUBJECT]);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const answer = await s.gql<Record<string, any>>(print(SubjectLineageDocument), { subjectId: SUBJECT });
    expect(JSON.parse(run.stdout)).toEqual(answer);
    // By hand: the raw span (distance 0), then everything downstream of it: 17 artifacts, 4 of them models.
    const report = answer.dataSubjectLineage;
    expect([report.found, report.affected.length, report.models.length, report.affected[0].artifact.id]).toEqual([true, 18, 4, s.seed.raw]);

    for (const [flag, format] of [['markdown', 'MARKDOWN'], ['json', 'JSON']] as const) {
      const printed = await s.journey(['subject', SUBJECT, '--report', flag]);
      expect([printed.code, printed.stderr]).toEqual([0, '']);
      const { accessReport } = await s.gql<{ accessReport: string }>(print(SubjectAccessReportDocument), { subjectId: SUBJECT, format });
      expect(undated(printed.stdout)).toBe(undated(accessReport));
    }
    expect((await s.journey(['subject', SUBJECT, '--report', 'markdown'])).stdout).toMatch(/^# Personal data access report/);
  });

  it('reads the identifier from stdin for -, and answers found: false for an unknown subject (exit 0, a line on stderr)', async () => {
    const viaStdin = await journeyWithInput(['subject', '-', '--format', 'json'], `${SUBJECT}\n`, env());
    expect([viaStdin.code, viaStdin.stderr]).toEqual([0, '']);
    expect(JSON.parse(viaStdin.stdout)).toEqual(JSON.parse((await s.journey(['subject', SUBJECT])).stdout));
    const unknown = await s.journey(['subject', 'nobody-at-all']);
    expect([unknown.code, unknown.stderr]).toEqual([0, 'journey: no artifact is registered as holding this subject\'s records\n']);
    expect(JSON.parse(unknown.stdout).dataSubjectLineage.found).toBe(false);
    const empty = await journeyWithInput(['subject', '-'], '\n', env());
    expect([empty.code, empty.stderr]).toEqual([2, 'journey: the subject identifier on stdin is empty (see journey --help)\n']);
  });

  it('gives a viewer key the one-line FORBIDDEN naming the role needed, for subject and each erasure command, never naming the subject', async () => {
    const viewer = { JOURNEY_API_KEY: s.viewerKey };
    const cases: [string[], string][] = [
      [['subject', SUBJECT], 'Query.dataSubjectLineage'],
      [['subject', SUBJECT, '--report', 'markdown'], 'Query.accessReport'],
      [['erasure', 'request', SUBJECT], 'Mutation.requestErasure'],
      [['erasure', 'list'], 'Query.erasureRequests'],
      [['erasure', 'show', 'some-id'], 'Query.erasureRequest'],
    ];
    for (const [args, field] of cases) {
      const run = await s.journey(args, viewer);
      expect([run.code, run.stdout, run.stderr], args.join(' ')).toEqual([5, '', `journey: FORBIDDEN: ${field} needs the privacy or admin role; this request has viewer\n`]);
    }
  });

  it('runs the erasure workflow: request, list, show, update to completion; then the subject is no longer traceable', async () => {
    const refused = await s.journey(['erasure', 'request', SUBJECT, '--reason', `asked by ${SUBJECT.toUpperCase()}`]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^journey: BAD_USER_INPUT: reason must not contain the data subject's identifier.*\(field reason\)\n$/);
    expect(refused.stderr.toLowerCase()).not.toContain(SUBJECT);
    // A usage mistake does not repeat what was typed either.
    const extra = await s.journey(['erasure', 'request', SUBJECT, 'second-argument']);
    expect(extra.code).toBe(2);
    expect(extra.stderr).not.toContain(SUBJECT);

    const made = await journeyWithInput(['erasure', 'request', '-', '--reason', 'ticket 4711', '--format', 'json'], SUBJECT, env());
    expect([made.code, made.stderr]).toEqual([0, '']);
    const request = JSON.parse(made.stdout).requestErasure;
    expect([request.reason, request.complete, request.progress]).toEqual(['ticket 4711', false, { total: 18, pending: 18, erased: 0, retrained: 0, exempt: 0 }]);

    const list = await s.journey(['erasure', 'list']);
    expect(JSON.parse(list.stdout)).toEqual(await s.gql(print(ErasureRequestListDocument), {}));
    expect(JSON.parse(list.stdout).erasureRequests.nodes.map((r: any) => r.id)).toContain(request.id);
    const csv = await s.journey(['erasure', 'list', '--format', 'csv']);
    expect(csv.stdout.split(/\r?\n/)[0]).toBe('ID,CREATED,COMPLETE,PENDING,ERASED,RETRAINED,EXEMPT,TOTAL,NOT COVERED,REASON');

    const exemptWithoutNote = await s.journey(['erasure', 'update', request.id, 'Model/taxi-model-1', '--status', 'exempt']);
    expect([exemptWithoutNote.code, exemptWithoutNote.stderr]).toEqual([2, 'journey: --status exempt needs --note naming the exemption (see journey --help)\n']);
    const retrained = await s.journey(['erasure', 'update', request.id, 'Model/taxi-model-1', '--status', 'retrained', '--note', 'trained anew without it']);
    expect(retrained.code, retrained.stderr).toBe(0);
    const afterOne = JSON.parse(retrained.stdout).updateErasureItem;
    expect(afterOne.progress).toEqual({ total: 18, pending: 17, erased: 0, retrained: 1, exempt: 0 });
    expect(afterOne.items.find((i: any) => i.artifact.id === s.seed.artifacts[0].model)).toMatchObject({ status: 'RETRAINED', note: 'trained anew without it' });

    // Every other item but the raw span erased over GraphQL; the last one through the CLI completes the request.
    for (const item of afterOne.items.filter((i: any) => i.status === 'PENDING' && i.artifact.id !== s.seed.raw)) {
      await s.gql('mutation($r: ID!, $a: ID!) { updateErasureItem(requestId: $r, artifactId: $a, status: ERASED) { id } }', { r: request.id, a: item.artifact.id });
    }
    const last = await s.journey(['erasure', 'update', request.id, s.seed.raw, '--status', 'erased']);
    expect(JSON.parse(last.stdout).updateErasureItem.complete).toBe(true);
    const shown = await s.journey(['erasure', 'show', request.id]);
    expect(JSON.parse(shown.stdout)).toEqual(await s.gql(print(ErasureRequestShowDocument), { id: request.id }));
    const table = await s.journey(['erasure', 'show', request.id, '--format', 'table']);
    expect(table.stdout.split('\n')[0]).toMatch(/^Erasure request \S+, made \S+ \(ticket 4711\): complete; 0 pending, 17 erased, 1 retrained, 0 exempt of 18\.$/);
    expect((await s.journey(['erasure', 'show', 'no-such-request'])).stderr).toBe('journey: no erasure request has id "no-such-request"\n');

    const after = await s.journey(['subject', SUBJECT]);
    expect(JSON.parse(after.stdout).dataSubjectLineage.found).toBe(false);
  });

  it('never lets the identifier reach the server\'s log or its audit log', async () => {
    await s.journey(['subject', SUBJECT]);
    expect(s.t.logs.lines().map((l) => JSON.stringify(l)).join('\n')).not.toContain(SUBJECT);
    const audit = await s.gql<{ auditLog: { nodes: unknown[] } }>('{ auditLog(first: 1000) { nodes { operation subjectHash target before after } } }');
    expect(audit.auditLog.nodes.length).toBeGreaterThan(5);
    expect(JSON.stringify(audit)).not.toContain(SUBJECT);
  });
});
