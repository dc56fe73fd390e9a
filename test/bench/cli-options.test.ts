/** The benchmark's command line (bench/cli-options.ts): the gRPC and import phases' switches and their defaults by size. */
import { describe, expect, it } from 'vitest';
import { parseCli } from '../../bench/cli-options.js';

const phases = (argv: string[]): { grpc: boolean; importInto: string[] } => {
  const o = parseCli(argv);
  return { grpc: o.grpc, importInto: o.importInto };
};

describe('bench options: the gRPC and import phases', () => {
  it('runs both by default after ML Metadata, importing into Neo4j only up to 10k', () => {
    expect(phases(['--size', 'tiny'])).toEqual({ grpc: true, importInto: ['sqlite', 'neo4j'] });
    expect(phases(['--size', '10k'])).toEqual({ grpc: true, importInto: ['sqlite', 'neo4j'] });
    expect(phases(['--size', '100k'])).toEqual({ grpc: true, importInto: ['sqlite'] });
    expect(phases(['--size', '1m', '--systems', 'mlmd,neo4j'])).toEqual({ grpc: true, importInto: [] });
  });

  it('leaves them out on request, or without ML Metadata first', () => {
    expect(phases(['--no-grpc', '--no-import'])).toEqual({ grpc: false, importInto: [] });
    expect(phases(['--systems', 'sqlite,neo4j'])).toEqual({ grpc: false, importInto: [] });
    expect(phases(['--systems', 'sqlite,mlmd'])).toEqual({ grpc: false, importInto: [] });
  });

  it('imports into the backends named, and refuses what it cannot run', () => {
    expect(phases(['--size', '1m', '--import', 'neo4j'])).toEqual({ grpc: true, importInto: ['neo4j'] });
    expect(() => parseCli(['--import', 'mysql'])).toThrow('--import takes sqlite, neo4j; got "mysql"');
    expect(() => parseCli(['--systems', 'sqlite', '--import', 'sqlite'])).toThrow('--import needs mlmd first in --systems and one of our backends after it');
    expect(() => parseCli(['--systems', 'neo4j,mlmd', '--grpc'])).toThrow('--grpc needs mlmd first');
  });
});
